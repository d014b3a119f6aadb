package api

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// message answers one message of the caller's (or a shared) session.
func (s *Server) message(c *fiber.Ctx) error {
	sid, mid, err := s.callerMessage(c)
	if err != nil {
		return err
	}
	if s.deps.Data.Messages == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "messages are not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	m, err := s.deps.Data.Messages.Message(ctx, uid, sid, mid)
	if err != nil {
		return fmt.Errorf("message %d of session %d: %w", mid, sid, err)
	}
	return c.JSON(m)
}

// callerMessage reads the session and the message id of a route under
// /api/sessions/{id}/messages/{messageId}; ENOTFOUND for an id that is not one.
func (s *Server) callerMessage(c *fiber.Ctx) (juta.SessionID, int64, error) {
	sid, err := s.callerSession(c)
	if err != nil {
		return 0, 0, err
	}
	mid, err := strconv.ParseInt(c.Params("messageId"), 10, 64)
	if err != nil || mid <= 0 {
		return 0, 0, juta.Errorf(juta.ENOTFOUND, "message not found")
	}
	return sid, mid, nil
}
