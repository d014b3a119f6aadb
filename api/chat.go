package api

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

const maxQuestionLen = 2000

type chatRequest struct {
	Message string `json:"message"`
}

// chat is the seed's assistant route: questions about the caller's own
// messages and actions. A session-bound key cannot use it: the assistant
// reads across all of the user's sessions.
func (s *Server) chat(c *fiber.Ctx) error {
	if s.deps.App.Assistant == nil {
		return juta.Errorf(juta.ENOTIMPL, "the assistant is not configured on this node")
	}
	p := principal(c)
	if p.SessionID != 0 {
		return juta.Errorf(juta.EFORBIDDEN, "a session-bound key cannot use the assistant")
	}
	var in chatRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	q := strings.TrimSpace(in.Message)
	if q == "" || utf8.RuneCountInString(q) > maxQuestionLen {
		return juta.Errorf(juta.EINVALID, "message must be 1 to %d characters", maxQuestionLen)
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	ans, err := s.deps.App.Assistant.Answer(ctx, p.UserID, q)
	if err != nil {
		return fmt.Errorf("assistant for user %d: %w", p.UserID, err)
	}
	if ans.Citations == nil {
		ans.Citations = []juta.Message{}
	}
	if ans.Actions == nil {
		ans.Actions = []juta.Action{}
	}
	return c.JSON(ans)
}
