package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// sessionGuard returns the checks of the routes of r that name a session
// (":id" under /api/sessions/), or nil: a session-bound API key only reaches
// its own session, and a user the session is shared with acts as its owner
// within the share's role (see actAsOwner). Done here so that no session
// handler can forget it.
func (s *Server) sessionGuard(r route) fiber.Handler {
	switch {
	case strings.HasPrefix(r.path, "/api/sessions/:id"):
		return func(c *fiber.Ctx) error {
			sid, err := sessionID(c)
			if err != nil {
				return err
			}
			if !principal(c).CanSession(sid) {
				return juta.Errorf(juta.ENOTFOUND, "session not found")
			}
			if err := s.actAsOwner(c, sid, r.scope); err != nil {
				return err
			}
			return c.Next()
		}
	case r.path == "/api/sessions" && r.method == fiber.MethodPost:
		return func(c *fiber.Ctx) error {
			if principal(c).SessionID != 0 {
				return juta.Errorf(juta.EFORBIDDEN, "a session-bound key cannot create sessions")
			}
			return c.Next()
		}
	}
	return nil
}
