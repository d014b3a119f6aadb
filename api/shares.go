package api

import (
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// The sharing routes: an owner shares one session with another account as a
// viewer or an agent, lists and revokes its shares; a grantee lists what is
// shared with it. A grantee then calls the session's own routes, which act
// on the owner's session within the share's role (actAsOwner).

type shareRequest struct {
	Phone string         `json:"phoneNumber"`
	Role  juta.ShareRole `json:"role"`
}

func (s *Server) shareService() (juta.ShareService, error) {
	if s.deps.App.Shares == nil {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "sharing is not available on this node")
	}
	return s.deps.App.Shares, nil
}

// actAsOwner lets a grantee of session sid act on it as its owner: the
// Runtime and the stores are keyed by the owner's id and check no share, so
// the request's user becomes the owner once the share's role allows scope.
// A role that does not is 403 (the grantee knows the session exists); no
// share leaves the request alone, so the caller's own session works and
// anyone else's is the handlers' 404.
func (s *Server) actAsOwner(c *fiber.Ctx, sid juta.SessionID, scope string) error {
	if s.deps.App.Shares == nil {
		return nil
	}
	// Nearly every request is the owner's: known owners pass at once (the
	// user actor is touched, as the request may not reach it), others ask the
	// user actor, and only a session it does not know costs a share lookup.
	uid := userID(c)
	if owned, touch := s.owners.owns(uid, sid); owned {
		if touch {
			s.deps.Runtime.Touch(uid)
		}
		return nil
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	if _, err := s.deps.Runtime.Session(ctx, uid, sid); err == nil {
		s.owners.remember(uid, sid)
		return nil
	}
	sh, err := s.deps.App.Shares.ShareOf(ctx, uid, sid)
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		return nil
	case err != nil:
		return fmt.Errorf("look up share of session %d: %w", sid, err)
	case !sh.Role.Allows(scope):
		return juta.Errorf(juta.EFORBIDDEN, "a %s of this session may not do this", sh.Role)
	}
	c.Locals(localUserID, sh.OwnerID)
	return nil
}

// shareSession answers POST /api/sessions/:id/shares. An unknown session and
// a phone without an active account get the same 404, so the answer does not
// tell a missing account from a session that is not the caller's.
func (s *Server) shareSession(c *fiber.Ctx) error {
	svc, err := s.shareService()
	if err != nil {
		return err
	}
	if err := s.limitShares(c); err != nil {
		return err
	}
	var in shareRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	phone, err := parsePhone(in.Phone)
	if err != nil {
		return err
	}
	if in.Role != juta.ShareViewer && in.Role != juta.ShareAgent {
		return juta.Errorf(juta.EINVALID, "role must be viewer or agent")
	}
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	sh, err := svc.Share(ctx, userID(c), sid, phone, in.Role)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sh)
}

func (s *Server) listShares(c *fiber.Ctx) error {
	svc, err := s.shareService()
	if err != nil {
		return err
	}
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	list, err := svc.Shares(ctx, userID(c), sid)
	if err != nil {
		return fmt.Errorf("list shares of session %d: %w", sid, err)
	}
	return c.JSON(juta.Page[juta.Share]{Items: list})
}

// revokeShare ends a share at once: the grantee's next request on the
// session is a 404, and its live streams drop the session (see sharedFeed).
func (s *Server) revokeShare(c *fiber.Ctx) error {
	svc, err := s.shareService()
	if err != nil {
		return err
	}
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	phone, err := pathPhone(c.Params("phoneNumber"))
	if err != nil {
		return err
	}
	grantee, err := svc.Revoke(ctx, userID(c), sid, phone)
	if err != nil {
		return err
	}
	// Before answering: from now on no socket of this node writes the
	// session's events to the grantee, whenever the notice arrives.
	s.stream.ShareRevoked(grantee, sid)
	return c.SendStatus(fiber.StatusNoContent)
}

// pathPhone is the grantee's phone number in the path, in E.164: one 404
// for anything that is not a number, like a number without a share.
func pathPhone(raw string) (string, error) {
	missing := juta.Errorf(juta.ENOTFOUND, "share not found")
	unescaped, err := url.PathUnescape(raw)
	if err != nil {
		return "", missing
	}
	phone, err := parsePhone(unescaped)
	if err != nil {
		return "", missing
	}
	return phone, nil
}

// sharedSessions lists the sessions shared with the caller. A session-bound
// key reaches its own session only, so it sees none.
func (s *Server) sharedSessions(c *fiber.Ctx) error {
	svc, err := s.shareService()
	if err != nil {
		return err
	}
	if principal(c).SessionID != 0 {
		return c.JSON(juta.Page[juta.SharedSession]{Items: []juta.SharedSession{}})
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	list, err := svc.SharedWith(ctx, userID(c))
	if err != nil {
		return fmt.Errorf("list sessions shared with user %d: %w", userID(c), err)
	}
	return c.JSON(juta.Page[juta.SharedSession]{Items: list})
}
