package juta

import "context"

// The application's ports: workflows that span several stores, or a store
// and WhatsApp, implemented by package app and called by the HTTP handlers,
// which keep to parsing requests and writing answers. Methods are safe for
// concurrent use, block for their store and Runtime calls only, cache
// nothing, and return the store conventions' *Error codes (store.go).

// ActionService is what the actions routes do with a caller's actions and
// those of the sessions shared with it.
type ActionService interface {
	// Actions lists the actions p may read, newest first: of session
	// f.SessionID's owner when that session is shared with p, else p's own;
	// a session-bound key sees its own session's only.
	Actions(ctx context.Context, p Principal, f ActionFilter, cursor string, limit int) (Page[Action], error)
	// Find returns action id when p may use it for scope: one of p's own, or
	// one of a session shared with p (EFORBIDDEN when the share's role does
	// not allow scope). ENOTFOUND for anything else, another user's included.
	Find(ctx context.Context, p Principal, id int64, scope string) (Action, error)
	// Update applies u to a found action (its owner's, whoever asks).
	// ENOTFOUND, ESTATE, EINVALID.
	Update(ctx context.Context, a Action, u ActionUpdate) (Action, error)
	// Execute carries out a found reply action: it claims the action (ESTATE
	// when it already was carried out or is closed, so a retry or a
	// concurrent call never sends twice), sends text to the action's chat
	// through its session, and releases the claim when the send fails. It
	// returns the claimed action and the message sent.
	Execute(ctx context.Context, a Action, text string) (Action, Message, error)
}

// ShareService is the sharing of sessions between accounts. Reads of shares
// go to the store as they are; granting and revoking answer the API's way.
type ShareService interface {
	// Share shares owner's session sid with the account of phone (E.164) as
	// role. One ENOTFOUND for a session that is not owner's and for a phone
	// without an active account, so the answer tells neither apart.
	Share(ctx context.Context, owner UserID, sid SessionID, phone string, role ShareRole) (Share, error)
	// Revoke ends the share of owner's session sid with the account of phone
	// (E.164), found among that session's shares only, and returns the
	// grantee. ENOTFOUND when there is no such share.
	Revoke(ctx context.Context, owner UserID, sid SessionID, phone string) (UserID, error)
	// Shares, SharedWith and ShareOf are ShareStore's.
	Shares(ctx context.Context, owner UserID, sid SessionID) ([]Share, error)
	SharedWith(ctx context.Context, uid UserID) ([]SharedSession, error)
	ShareOf(ctx context.Context, uid UserID, sid SessionID) (Share, error)
}
