package api

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// visibleSessions keeps the sessions the caller may see: a session-bound key
// sees its own session only.
func visibleSessions(p juta.Principal, list []juta.Session) []juta.Session {
	out := make([]juta.Session, 0, len(list))
	for _, s := range list {
		if p.CanSession(s.ID) {
			out = append(out, s)
		}
	}
	return out
}

// listSessions answers GET /api/sessions: the caller's sessions with their
// live state, oldest first, as one page.
func (s *Server) listSessions(c *fiber.Ctx) error {
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	list, err := s.deps.Runtime.Status(ctx, uid)
	if err != nil {
		return fmt.Errorf("list sessions of user %d: %w", uid, err)
	}
	return c.JSON(juta.Page[juta.Session]{Items: visibleSessions(principal(c), list)})
}

// sessionCall runs one lifecycle call of the Runtime on the :id session.
// Another user's session, or one a bound key does not name, is ENOTFOUND.
func (s *Server) sessionCall(c *fiber.Ctx, what string, call func(context.Context, juta.UserID, juta.SessionID) (juta.Session, error)) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	sess, err := call(ctx, uid, sid)
	if err != nil {
		return fmt.Errorf("%s session %d of user %d: %w", what, sid, uid, err)
	}
	return c.JSON(sess)
}

func (s *Server) startSession(c *fiber.Ctx) error {
	return s.sessionCall(c, "start", s.deps.Runtime.StartSession)
}

func (s *Server) stopSession(c *fiber.Ctx) error {
	return s.sessionCall(c, "stop", s.deps.Runtime.StopSession)
}

func (s *Server) logoutSession(c *fiber.Ctx) error {
	return s.sessionCall(c, "log out", s.deps.Runtime.LogoutSession)
}

func (s *Server) deleteSession(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	if err := s.deps.Runtime.DeleteSession(ctx, uid, sid); err != nil {
		return fmt.Errorf("delete session %d of user %d: %w", sid, uid, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type patchSessionRequest struct {
	Name     *string `json:"name,omitempty"`
	AlwaysOn *bool   `json:"alwaysOn,omitempty"` // keep connected while the user is idle
}

// patchSession answers PATCH /api/sessions/{id} {"name", "alwaysOn"}: either
// or both, each applied as its own change.
func (s *Server) patchSession(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	var in patchSessionRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.Name == nil && in.AlwaysOn == nil {
		return juta.Errorf(juta.EINVALID, "give at least one of name, alwaysOn")
	}
	var name string
	if in.Name != nil {
		if name, err = sessionName(*in.Name); err != nil {
			return err
		}
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	var sess juta.Session
	if in.Name != nil {
		if sess, err = s.deps.Runtime.RenameSession(ctx, uid, sid, name); err != nil {
			return fmt.Errorf("rename session %d of user %d: %w", sid, uid, err)
		}
	}
	if in.AlwaysOn != nil {
		if sess, err = s.deps.Runtime.SetAlwaysOn(ctx, uid, sid, *in.AlwaysOn); err != nil {
			return fmt.Errorf("set always-on of session %d of user %d: %w", sid, uid, err)
		}
	}
	return c.JSON(sess)
}

// sessionName trims a display name and checks its length and characters.
func sessionName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	if utf8.RuneCountInString(name) > maxSessionNameLen {
		return "", juta.Errorf(juta.EINVALID, "name must be at most %d characters", maxSessionNameLen)
	}
	if strings.ContainsFunc(name, isControl) {
		return "", juta.Errorf(juta.EINVALID, "name must not hold control characters")
	}
	return name, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// callerSession parses :id and hides sessions a bound key does not name (the
// route guard does too; handlers do not rely on the table being right).
func (s *Server) callerSession(c *fiber.Ctx) (juta.SessionID, error) {
	sid, err := sessionID(c)
	if err != nil {
		return 0, err
	}
	if !principal(c).CanSession(sid) {
		return 0, juta.Errorf(juta.ENOTFOUND, "session not found")
	}
	return sid, nil
}
