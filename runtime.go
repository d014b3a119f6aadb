package juta

import "context"

// Runtime is what the API asks of the actor system. The actors package
// implements it: each call resolves the user's actor and sends it a request
// with the context's deadline. Calls never see another user's objects:
// another user's session id is ENOTFOUND. EUNAVAILABLE when the actor did not
// answer in time or the node is shutting down.
type Runtime interface {
	// Status lists the user's sessions with their live state.
	Status(ctx context.Context, uid UserID) ([]Session, error)
	// CreateSession creates a session and starts linking it (QR codes follow).
	CreateSession(ctx context.Context, uid UserID, name string) (Session, error)
	// Session returns one session with its live state.
	Session(ctx context.Context, uid UserID, sid SessionID) (Session, error)
	// QR returns the code the session shows now. ESTATE when the session is
	// connected or not linking; EUNAVAILABLE when no code has arrived yet.
	QR(ctx context.Context, uid UserID, sid SessionID) (QRCode, error)
	// PairPhone returns a pairing code for linking by phone number instead of QR.
	PairPhone(ctx context.Context, uid UserID, sid SessionID, phone string) (string, error)
	// StartSession brings a stopped, failed or logged-out session back: it
	// reconnects with its device, or starts linking anew when it has none.
	StartSession(ctx context.Context, uid UserID, sid SessionID) (Session, error)
	// StopSession disconnects the session and keeps its device keys; it stays
	// "stopped" (and offline across restarts) until started again.
	StopSession(ctx context.Context, uid UserID, sid SessionID) (Session, error)
	// LogoutSession unlinks the device from the WhatsApp account.
	LogoutSession(ctx context.Context, uid UserID, sid SessionID) (Session, error)
	// DeleteSession logs the session out if linked and deletes it with its
	// messages.
	DeleteSession(ctx context.Context, uid UserID, sid SessionID) error
	// RenameSession changes the session's display name.
	RenameSession(ctx context.Context, uid UserID, sid SessionID, name string) (Session, error)
	// SetAlwaysOn sets whether the session's WhatsApp connection stays up
	// while the user is idle (Session.AlwaysOn).
	SetAlwaysOn(ctx context.Context, uid UserID, sid SessionID, on bool) (Session, error)
	// SendText sends text to an E.164 phone or JID through a connected session
	// and stores it. Sends are paced per session: ERATELIMITED (with
	// RetryAfter) when the session's budget is spent; ESTATE when not connected.
	// waID is the WhatsApp message id to send under ("" = a new one): a retry
	// under the same id delivers and stores the message once.
	SendText(ctx context.Context, uid UserID, sid SessionID, to, text, waID string) (Message, error)
	// Send sends out (a reply, a location, contact cards or an uploaded
	// file, see Outgoing) through a connected session, paced and keyed like
	// SendText, and stores it with its content before it returns.
	// ENOTFOUND when the quoted message or the uploaded file is not the
	// user's; CheckOutgoingContent's codes for content WhatsApp would refuse.
	Send(ctx context.Context, uid UserID, sid SessionID, out Outgoing, waID string) (Message, error)
	// SendChange sends a change of the stored message target of the session,
	// in the chat to, paced and keyed like SendText: a reaction (text the
	// emoji, "" takes it back), an edit (text the new text) or a delete for
	// everyone. It is recorded (ApplyChange and its event) before it returns
	// the message as it was. ENOTFOUND when target is not a message of that
	// chat; an edit or delete is refused as CheckOwnChange says.
	SendChange(ctx context.Context, uid UserID, sid SessionID, to string, target int64, kind ChangeKind, text, waID string) (Message, error)
	// StopUser stops every session of the user and passivates its actor (a
	// disabled account).
	StopUser(ctx context.Context, uid UserID) error
	// Touch stands for a request of the user served without the runtime
	// (a read straight from the store): it activates the user when passivated
	// and counts as use against the idle timeout. It does not wait.
	Touch(uid UserID)
	// Subscribe streams the user's events with cursor > after (after < 0: only
	// new ones), first from the log, then live, in order and without duplicates.
	// A subscriber that falls behind reads what it missed from the log. The
	// channel closes when ctx ends, on Close, or when the runtime can no longer
	// follow the user (the node stops; the caller then resumes with a new
	// Subscribe from its last cursor).
	Subscribe(ctx context.Context, uid UserID, after int64) (Subscription, error)
}

// Subscription is a live stream of one user's events.
type Subscription interface {
	Events() <-chan Event
	Close()
}
