package juta

import (
	"context"
	"time"
)

// Chat is one conversation of a session as a chat list shows it: the peer (or
// group) and the latest message stored for it.
type Chat struct {
	SessionID   SessionID `json:"sessionId"`
	Chat        string    `json:"chat"` // chat JID or E.164 phone of the peer
	LastMessage Message   `json:"lastMessage"`
	// Unread counts the chat's incoming messages newer than the caller's
	// read marker, at most MaxUnread.
	Unread int `json:"unread"`
	// Name is who the chat is with: the group's subject, or the person's
	// name as the user saved it, else as they gave it; "" when unknown.
	Name string `json:"name,omitempty"`
	// Participants of a group chat, as messages name senders.
	Participants []string `json:"participants,omitempty"`
	// Admins of a group chat: the participants who are admins or its
	// superadmin, with their role, by address (the rest are members).
	Admins []GroupAdmin `json:"admins,omitempty"`
}

// ChatStore lists a session's chats.
type ChatStore interface {
	// Chats lists the session's chats with their latest message, the chat
	// with the newest message first. cursor is the NextCursor of the previous
	// page ("" for the first); EINVALID for a bad cursor; ENOTFOUND when the
	// session is absent or another user's.
	Chats(ctx context.Context, uid UserID, sid SessionID, cursor string, limit int) (Page[Chat], error)
}

// MessageQuery narrows a message listing. Empty fields do not filter.
type MessageQuery struct {
	Chat string // exact chat JID or E.164 phone
	Text string // case-insensitive substring of the text
}

// MessageLister lists a session's stored messages, newest first, as
// MessageStore.Messages does. Reading needs neither the session's actor nor
// its connection: the store's filters and row-level security decide what the
// caller sees.
type MessageLister interface {
	Messages(ctx context.Context, uid UserID, sid SessionID, cursor string, limit int) (Page[Message], error)
	// Message returns one message of the session, read as lists read it.
	// ENOTFOUND for a message not in the session, or a session not the user's.
	Message(ctx context.Context, uid UserID, sid SessionID, id int64) (Message, error)
}

// MessageSearcher finds stored messages. It extends MessageStore without
// changing it.
type MessageSearcher interface {
	// SearchMessages lists the session's messages that match q, newest first,
	// with the same cursors as MessageStore.Messages. EINVALID for a bad
	// cursor; ENOTFOUND when the session is absent or another user's.
	SearchMessages(ctx context.Context, uid UserID, sid SessionID, q MessageQuery, cursor string, limit int) (Page[Message], error)
}

// IdempotentResult is what an Idempotency-Key holds: the hash of the request
// that claimed it and, once that request finished, its response.
type IdempotentResult struct {
	RequestHash []byte
	Done        bool      // false while the first request is in flight
	Status      int       // HTTP status of the first response, when Done
	Body        []byte    // body of the first response, when Done
	ClaimedAt   time.Time // the now of the claiming request
	ExpiresAt   time.Time
}

// IdempotencyStore remembers Idempotency-Keys per user so that a retried
// write is carried out once. Keys are claimed before the side effect, so a
// retry that arrives while the first request is in flight finds the claim.
type IdempotencyStore interface {
	// ClaimIdempotencyKey stores key for uid with the request's hash, unless
	// a live (not expired at now) claim exists. claimed is true when this call
	// stored it: the caller then owns the key and must Complete or Release it.
	// Otherwise the existing claim is returned. An expired claim is replaced.
	ClaimIdempotencyKey(ctx context.Context, uid UserID, key string, hash []byte, now, expiresAt time.Time) (res IdempotentResult, claimed bool, err error)
	// IdempotencyKey returns the live claim of key. ENOTFOUND when there is
	// none (never claimed, released, or expired at now).
	IdempotencyKey(ctx context.Context, uid UserID, key string, now time.Time) (IdempotentResult, error)
	// CompleteIdempotencyKey records the response of the request that owns
	// key. ENOTFOUND when the claim is gone.
	CompleteIdempotencyKey(ctx context.Context, uid UserID, key string, status int, body []byte) error
	// ReleaseIdempotencyKey drops an unfinished claim whose request had no
	// effect, so that a retry may carry it out. Completed claims are kept.
	ReleaseIdempotencyKey(ctx context.Context, uid UserID, key string) error
	// AbandonIdempotencyKey records status and body as the final response of
	// key when its claim is unfinished and was made before claimedBefore (the
	// claiming request's node died or could not record its outcome), and
	// returns the key's claim as it then is: that answer, or the real one if
	// it was recorded first. A late Complete of the abandoned claim changes
	// nothing. ENOTFOUND when the claim is gone.
	AbandonIdempotencyKey(ctx context.Context, uid UserID, key string, claimedBefore time.Time, status int, body []byte) (IdempotentResult, error)
}
