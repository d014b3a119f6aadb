package api

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// maxZoneLen bounds ?tz= (the longest IANA names are about 30 bytes).
const maxZoneLen = 64

func init() {
	tagDocs["stats"] = "the caller's own activity in aggregate"
}

// stats answers GET /api/stats.
func (s *Server) stats(c *fiber.Ctx) error {
	loc, err := parseZone(c.Query("tz"))
	if err != nil {
		return err
	}
	if s.deps.Data.Stats == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "stats are not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	st, err := s.deps.Data.Stats.Stats(ctx, uid, loc, time.Now())
	if err != nil {
		return fmt.Errorf("stats of user %d: %w", uid, err)
	}
	return c.JSON(st)
}

// parseZone reads an IANA zone name; empty is UTC. "Local" (the server's own
// zone) and anything time.LoadLocation refuses are EINVALID.
func parseZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if len(name) > maxZoneLen || name == "Local" {
		return nil, juta.Errorf(juta.EINVALID, "tz must be an IANA time zone such as Asia/Kuala_Lumpur")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, juta.Errorf(juta.EINVALID, "tz must be an IANA time zone such as Asia/Kuala_Lumpur")
	}
	return loc, nil
}
