package api

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/stream"
)

const (
	defaultEventLimit = 100
	maxEventLimit     = 1000
)

// eventPage is GET /api/events' answer. NextCursor is a string, as every
// list's is; it goes back as ?after=.
type eventPage struct {
	Items      []stream.Event `json:"items"`
	NextCursor string         `json:"nextCursor,omitempty"`
}

// events answers GET /api/events?after=&limit=: the caller's events with a
// cursor above after, oldest first. nextCursor is set when more may follow.
func (s *Server) events(c *fiber.Ctx) error {
	after, err := stream.ParseAfter(c.Query("after"))
	if err != nil {
		return err
	}
	after = max(after, 0) // a missing after reads from the start
	limit, err := parseEventLimit(c.Query("limit"))
	if err != nil {
		return err
	}
	if s.deps.Stream.Events == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "the event log is not available")
	}
	uid, p := userID(c), principal(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	evs, err := s.deps.Stream.Events.EventsAfter(ctx, uid, after, limit)
	if err != nil {
		return fmt.Errorf("events of user %d after %d: %w", uid, after, err)
	}
	page := eventPage{Items: make([]stream.Event, 0, len(evs))}
	for _, ev := range evs {
		if stream.Visible(p, ev) {
			page.Items = append(page.Items, stream.ToWire(ev))
		}
	}
	// A bound key's page may hold fewer items than it scanned: the cursor is
	// the last one scanned, so paging never rereads or skips.
	if len(evs) == limit {
		page.NextCursor = strconv.FormatInt(evs[len(evs)-1].Cursor, 10)
	}
	return c.JSON(page)
}

func parseEventLimit(raw string) (int, error) {
	if raw == "" {
		return defaultEventLimit, nil
	}
	n, ok := parsePositive(raw)
	if !ok || n > maxEventLimit {
		return 0, juta.Errorf(juta.EINVALID, "limit must be an integer from 1 to %d", maxEventLimit)
	}
	return int(n), nil
}
