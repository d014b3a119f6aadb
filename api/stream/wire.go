package stream

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/juta-app/juta"
)

// Event is one event as the API shows it: a WebSocket text frame, or an item
// of GET /api/events. Data is the event's JSON document, embedded as is.
type Event struct {
	Cursor    int64          `json:"cursor"`
	Type      string         `json:"type"`
	SessionID juta.SessionID `json:"sessionId,omitempty"`
	// Shared is set on the events of a session shared with the caller; their
	// cursor is then the owner's, not one to resume from. The owner is not
	// named: grantees never learn another account's id.
	Shared    bool            `json:"shared,omitempty"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"createdAt"`
}

// Visible hides, from a session-bound key, every event that is not about its
// session (account events included).
func Visible(p juta.Principal, ev juta.Event) bool {
	return p.SessionID == 0 || ev.SessionID == p.SessionID
}

// ToWire renders an event as the API shows it, without linking secrets; a
// broken document becomes null rather than breaking the response.
func ToWire(ev juta.Event) Event {
	ev = ev.Redacted()
	data := json.RawMessage(ev.Data)
	if !json.Valid(data) {
		data = json.RawMessage("null")
	}
	return Event{Cursor: ev.Cursor, Type: ev.Type, SessionID: ev.SessionID, Data: data, CreatedAt: ev.CreatedAt}
}

// ParseAfter reads an ?after= event cursor: a decimal without sign or
// leading zero. Absent means "only new events", which the Runtime spells as
// a negative cursor.
func ParseAfter(raw string) (int64, error) {
	if raw == "" {
		return -1, nil
	}
	if raw == "0" {
		return 0, nil
	}
	if !cursorDigits(raw) {
		return 0, juta.Errorf(juta.EINVALID, "after must be an event cursor")
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, juta.Errorf(juta.EINVALID, "after must be an event cursor")
	}
	return n, nil
}

// cursorDigits: 1 to 19 ASCII digits, the first not 0.
func cursorDigits(raw string) bool {
	if len(raw) > 19 || raw[0] == '0' {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return false
		}
	}
	return true
}
