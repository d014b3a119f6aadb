package api

import (
	"context"
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

func (s *Server) shareStore() (juta.ShareStore, error) {
	if s.deps.Shares == nil {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "sharing is not available on this node")
	}
	return s.deps.Shares, nil
}

// actAsOwner lets a grantee of session sid act on it as its owner: the
// Runtime and the stores are keyed by the owner's id and check no share, so
// the request's user becomes the owner once the share's role allows scope.
// A role that does not is 403 (the grantee knows the session exists); no
// share leaves the request alone, so the caller's own session works and
// anyone else's is the handlers' 404.
func (s *Server) actAsOwner(c *fiber.Ctx, sid juta.SessionID, scope string) error {
	if s.deps.Shares == nil {
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
	sh, err := s.deps.Shares.ShareOf(ctx, uid, sid)
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
	store, err := s.shareStore()
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
	sh, _, err := store.ShareSession(ctx, userID(c), sid, phone, in.Role)
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		return &juta.Error{Code: juta.ENOTFOUND, Message: "session or account not found", Err: err}
	}
	if err != nil {
		return fmt.Errorf("share session %d: %w", sid, err)
	}
	return c.Status(fiber.StatusCreated).JSON(sh)
}

func (s *Server) listShares(c *fiber.Ctx) error {
	store, err := s.shareStore()
	if err != nil {
		return err
	}
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	list, err := store.Shares(ctx, userID(c), sid)
	if err != nil {
		return fmt.Errorf("list shares of session %d: %w", sid, err)
	}
	return c.JSON(juta.Page[juta.Share]{Items: list})
}

// revokeShare ends a share at once: the grantee's next request on the
// session is a 404, and its live streams drop the session (see sharedFeed).
func (s *Server) revokeShare(c *fiber.Ctx) error {
	store, err := s.shareStore()
	if err != nil {
		return err
	}
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	grantee, err := s.granteeOf(ctx, store, userID(c), sid, c.Params("phoneNumber"))
	if err != nil {
		return err
	}
	if _, err := store.RevokeShare(ctx, userID(c), sid, grantee); err != nil {
		return fmt.Errorf("revoke share of session %d: %w", sid, err)
	}
	// Before answering: from now on no socket of this node writes the
	// session's events to the grantee, whenever the notice arrives.
	s.shareHub.forget(grantee, sid)
	return c.SendStatus(fiber.StatusNoContent)
}

// granteeOf finds, among the shares of the owner's session sid, the grantee
// whose phone number the path names. Only the owner's own shares are
// searched, so the route tells nothing about other accounts.
func (s *Server) granteeOf(ctx context.Context, store juta.ShareStore, owner juta.UserID, sid juta.SessionID, raw string) (juta.UserID, error) {
	missing := juta.Errorf(juta.ENOTFOUND, "share not found")
	unescaped, err := url.PathUnescape(raw)
	if err != nil {
		return 0, missing
	}
	phone, err := parsePhone(unescaped)
	if err != nil {
		return 0, missing
	}
	list, err := store.Shares(ctx, owner, sid)
	if err != nil {
		return 0, fmt.Errorf("list shares of session %d: %w", sid, err)
	}
	for _, sh := range list {
		if sh.Phone == phone {
			return sh.UserID, nil
		}
	}
	return 0, missing
}

// sharedSessions lists the sessions shared with the caller. A session-bound
// key reaches its own session only, so it sees none.
func (s *Server) sharedSessions(c *fiber.Ctx) error {
	store, err := s.shareStore()
	if err != nil {
		return err
	}
	if principal(c).SessionID != 0 {
		return c.JSON(juta.Page[juta.SharedSession]{Items: []juta.SharedSession{}})
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	list, err := store.SharedWith(ctx, userID(c))
	if err != nil {
		return fmt.Errorf("list sessions shared with user %d: %w", userID(c), err)
	}
	return c.JSON(juta.Page[juta.SharedSession]{Items: list})
}

// sharedAction finds action id among the sessions shared with uid. Action
// ids are unique across users, so the first owner that has it settles it.
func (s *Server) sharedAction(ctx context.Context, uid juta.UserID, id int64, scope string) (juta.Action, error) {
	missing := juta.Errorf(juta.ENOTFOUND, "action %d not found", id)
	if s.deps.Shares == nil {
		return juta.Action{}, missing
	}
	shared, err := s.deps.Shares.SharedWith(ctx, uid)
	if err != nil {
		return juta.Action{}, fmt.Errorf("list sessions shared with user %d: %w", uid, err)
	}
	tried := map[juta.UserID]bool{}
	for _, sh := range shared {
		if tried[sh.OwnerID] {
			continue
		}
		tried[sh.OwnerID] = true
		a, err := s.deps.Actions.Action(ctx, sh.OwnerID, id)
		if juta.ErrorCode(err) == juta.ENOTFOUND {
			continue
		}
		if err != nil {
			return juta.Action{}, err
		}
		return actionInShare(a, shared, scope, missing)
	}
	return juta.Action{}, missing
}

// actionInShare returns a when its session is among shared with a role that
// allows scope.
func actionInShare(a juta.Action, shared []juta.SharedSession, scope string, missing error) (juta.Action, error) {
	for _, sh := range shared {
		if sh.OwnerID != a.UserID || sh.SessionID != a.SessionID {
			continue
		}
		if !sh.Role.Allows(scope) {
			return juta.Action{}, juta.Errorf(juta.EFORBIDDEN, "a %s of this session may not do this", sh.Role)
		}
		return a, nil
	}
	return juta.Action{}, missing
}

// listOwner is whose actions a list of session sid's shows: the owner's when
// sid is shared with the caller (any role reads), the caller's otherwise.
func (s *Server) listOwner(ctx context.Context, p juta.Principal, sid juta.SessionID) (juta.UserID, error) {
	if sid == 0 || p.SessionID != 0 || s.deps.Shares == nil {
		return p.UserID, nil
	}
	sh, err := s.deps.Shares.ShareOf(ctx, p.UserID, sid)
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		return p.UserID, nil
	case err != nil:
		return 0, fmt.Errorf("look up share of session %d: %w", sid, err)
	}
	return sh.OwnerID, nil
}
