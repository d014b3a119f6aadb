package juta

import (
	"context"
	"time"
)

// ShareRole is what a user may do with a session another user shared.
type ShareRole string

// Share roles. A viewer reads the session (its messages, chats, actions and
// live events); an agent also sends messages and acts on the session's
// actions. Neither manages the session (start, stop, logout, delete, rename,
// linking, shares): that stays with its owner.
const (
	ShareViewer ShareRole = "viewer"
	ShareAgent  ShareRole = "agent"
)

// Allows reports whether the role permits what an API key scope names:
// ScopeRead for both roles, ScopeSend for agents, ScopeManage for none.
func (r ShareRole) Allows(scope string) bool {
	switch scope {
	case ScopeRead:
		return r == ShareViewer || r == ShareAgent
	case ScopeSend:
		return r == ShareAgent
	}
	return false
}

// Events on a grantee's log when a session is shared with them or the share
// ends; SessionID names the shared session.
const (
	EventShareGranted = "share.granted"
	EventShareRevoked = "share.revoked"
)

// Share is one session shared by its owner with another user. Internal user
// ids stay inside: in the API a grantee is named by its phone number, which
// the owner typed, so no answer hands out another account's id.
type Share struct {
	SessionID SessionID `json:"sessionId"`
	OwnerID   UserID    `json:"-"`
	UserID    UserID    `json:"-"`
	Phone     string    `json:"phoneNumber"` // the grantee's
	Role      ShareRole `json:"role"`
	CreatedAt time.Time `json:"createdAt"`
}

// SharedSession is a session shared with the caller, as the caller sees it.
type SharedSession struct {
	SessionID  SessionID `json:"sessionId"`
	Name       string    `json:"name"`
	OwnerID    UserID    `json:"-"` // the owner is named by its phone number
	OwnerPhone string    `json:"ownerPhoneNumber"`
	Role       ShareRole `json:"role"`
	CreatedAt  time.Time `json:"createdAt"`
}

// ShareStore keeps session shares. Granting and revoking also append an
// EventShareGranted / EventShareRevoked event to the grantee's log in the same
// transaction and return it; the store publishes it after the commit
// (see Publisher).
type ShareStore interface {
	// ShareSession shares owner's session sid with the account of phone as
	// role, or changes the role of an existing share. ENOTFOUND when the
	// session is not owner's or no active account has that phone; EINVALID
	// for an unknown role or the owner's own phone.
	ShareSession(ctx context.Context, owner UserID, sid SessionID, phone string, role ShareRole) (Share, Event, error)
	// Shares lists the shares of owner's session sid, oldest first.
	// ENOTFOUND when the session is not owner's.
	Shares(ctx context.Context, owner UserID, sid SessionID) ([]Share, error)
	// RevokeShare ends the share of owner's session sid with user uid.
	// ENOTFOUND when there is no such share.
	RevokeShare(ctx context.Context, owner UserID, sid SessionID, uid UserID) (Event, error)
	// SharedWith lists the sessions shared with uid, oldest share first.
	// A disabled owner's sessions are left out.
	SharedWith(ctx context.Context, uid UserID) ([]SharedSession, error)
	// ShareOf returns uid's share of session sid (uid being the grantee).
	// ENOTFOUND when sid is not shared with uid or its owner is disabled:
	// every path of a grantee to the owner's data goes through ShareOf or
	// SharedWith, so a disabled account's data is reachable by no one but an
	// administrator.
	ShareOf(ctx context.Context, uid UserID, sid SessionID) (Share, error)
}

// ShareNotice is the data of share.granted and share.revoked events, in the
// grantee's log. It names no account: internal ids are not handed to other
// accounts (the grantee finds the owner's number in its shared-sessions list).
type ShareNotice struct {
	SessionID SessionID `json:"sessionId"`
	Role      ShareRole `json:"role,omitempty"` // empty on share.revoked
}
