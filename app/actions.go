package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/juta-app/juta"
)

// TextSender sends a text through a user's session; juta.Runtime is one.
type TextSender interface {
	SendText(ctx context.Context, uid juta.UserID, sid juta.SessionID, to, text, waID string) (juta.Message, error)
}

// Actions implements juta.ActionService over the action store, the share
// store (nil: nothing is shared) and the runtime that sends replies.
type Actions struct {
	store  juta.ActionStore
	shares juta.ShareStore
	sender TextSender
	log    *slog.Logger
}

var _ juta.ActionService = (*Actions)(nil)

// NewActions returns the actions workflows. shares may be nil; log nil is
// slog.Default().
func NewActions(store juta.ActionStore, shares juta.ShareStore, sender TextSender, log *slog.Logger) *Actions {
	if log == nil {
		log = slog.Default()
	}
	return &Actions{store: store, shares: shares, sender: sender, log: log}
}

// Actions lists what p may read; see juta.ActionService.
func (a *Actions) Actions(ctx context.Context, p juta.Principal, f juta.ActionFilter, cursor string, limit int) (juta.Page[juta.Action], error) {
	if p.SessionID != 0 { // a session-bound key sees its session only
		if f.SessionID != 0 && f.SessionID != p.SessionID {
			return juta.Page[juta.Action]{Items: []juta.Action{}}, nil
		}
		f.SessionID = p.SessionID
	}
	uid, err := a.listOwner(ctx, p, f.SessionID)
	if err != nil {
		return juta.Page[juta.Action]{}, err
	}
	page, err := a.store.Actions(ctx, uid, f, cursor, limit)
	if err != nil {
		return page, fmt.Errorf("list actions of user %d: %w", uid, err)
	}
	return page, nil
}

// listOwner is whose actions a list of session sid's shows: the owner's when
// sid is shared with the caller (any role reads), the caller's otherwise.
func (a *Actions) listOwner(ctx context.Context, p juta.Principal, sid juta.SessionID) (juta.UserID, error) {
	if sid == 0 || p.SessionID != 0 || a.shares == nil {
		return p.UserID, nil
	}
	sh, err := a.shares.ShareOf(ctx, p.UserID, sid)
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		return p.UserID, nil
	case err != nil:
		return 0, fmt.Errorf("look up share of session %d: %w", sid, err)
	}
	return sh.OwnerID, nil
}

// Find returns action id if p may use it for scope; see juta.ActionService.
func (a *Actions) Find(ctx context.Context, p juta.Principal, id int64, scope string) (juta.Action, error) {
	act, err := a.store.Action(ctx, p.UserID, id)
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		act, err = a.sharedAction(ctx, p.UserID, id, scope)
	}
	if err == nil && !p.CanSession(act.SessionID) {
		err = juta.Errorf(juta.ENOTFOUND, "action %d not found", id)
	}
	return act, err
}

// sharedAction finds action id among the sessions shared with uid. Action
// ids are unique across users, so the first owner that has it settles it.
func (a *Actions) sharedAction(ctx context.Context, uid juta.UserID, id int64, scope string) (juta.Action, error) {
	missing := juta.Errorf(juta.ENOTFOUND, "action %d not found", id)
	if a.shares == nil {
		return juta.Action{}, missing
	}
	shared, err := a.shares.SharedWith(ctx, uid)
	if err != nil {
		return juta.Action{}, fmt.Errorf("list sessions shared with user %d: %w", uid, err)
	}
	tried := map[juta.UserID]bool{}
	for _, sh := range shared {
		if tried[sh.OwnerID] {
			continue
		}
		tried[sh.OwnerID] = true
		act, err := a.store.Action(ctx, sh.OwnerID, id)
		if juta.ErrorCode(err) == juta.ENOTFOUND {
			continue
		}
		if err != nil {
			return juta.Action{}, err
		}
		return actionInShare(act, shared, scope, missing)
	}
	return juta.Action{}, missing
}

// actionInShare returns act when its session is among shared with a role
// that allows scope.
func actionInShare(act juta.Action, shared []juta.SharedSession, scope string, missing error) (juta.Action, error) {
	for _, sh := range shared {
		if sh.OwnerID != act.UserID || sh.SessionID != act.SessionID {
			continue
		}
		if !sh.Role.Allows(scope) {
			return juta.Action{}, juta.Errorf(juta.EFORBIDDEN, "a %s of this session may not do this", sh.Role)
		}
		return act, nil
	}
	return juta.Action{}, missing
}

// Update applies u to act; see juta.ActionService.
func (a *Actions) Update(ctx context.Context, act juta.Action, u juta.ActionUpdate) (juta.Action, error) {
	updated, _, err := a.store.UpdateAction(ctx, act.UserID, act.ID, u)
	if err != nil {
		return updated, fmt.Errorf("update action %d: %w", act.ID, err)
	}
	return updated, nil
}

// Execute claims act, sends text and releases the claim when the send
// fails; see juta.ActionService. The claim comes first so that two callers
// racing on one action never both send.
func (a *Actions) Execute(ctx context.Context, act juta.Action, text string) (juta.Action, juta.Message, error) {
	claimed, _, err := a.store.MarkExecuted(ctx, act.UserID, act.ID)
	if err != nil {
		return juta.Action{}, juta.Message{}, fmt.Errorf("claim action %d: %w", act.ID, err)
	}
	sent, sendErr := a.sender.SendText(ctx, act.UserID, act.SessionID, act.Chat, text, "")
	if sendErr != nil {
		if _, _, err := a.store.ReleaseExecution(ctx, act.UserID, act.ID, act.Status); err != nil {
			a.log.Warn("release action claim", "action_id", act.ID, "code", juta.ErrorCode(err))
		}
		return juta.Action{}, juta.Message{}, fmt.Errorf("send reply of action %d: %w", act.ID, sendErr)
	}
	return claimed, sent, nil
}
