package juta

import (
	"context"
	"time"
)

// Stores are implemented by persistence (pgx). Every method is safe for
// concurrent use, owns its transaction, and returns *Error codes ENOTFOUND,
// ECONFLICT, EINVALID where noted, or a wrapped error (EINTERNAL) when the
// database fails. Methods that take a UserID only ever see that user's rows.

// UserStore keeps accounts.
type UserStore interface {
	// CreateUser stores a new account. ECONFLICT when the phone is taken.
	CreateUser(ctx context.Context, phone, passwordHash, role string) (User, error)
	// UserByPhone returns the account and its password hash. ENOTFOUND.
	UserByPhone(ctx context.Context, phone string) (User, string, error)
	// User returns one account. ENOTFOUND.
	User(ctx context.Context, id UserID) (User, error)
	// SetTimeZone stores the user's zone, an IANA name the caller has
	// checked with LoadZone, and returns the account. ENOTFOUND.
	SetTimeZone(ctx context.Context, id UserID, zone string) (User, error)
	// UpdateSettings stores the settings that are set (checked by the
	// caller) in one statement and returns the account. ENOTFOUND.
	UpdateSettings(ctx context.Context, id UserID, s Settings) (User, error)
}

// Settings are the user's own settings; nil fields keep their values.
type Settings struct {
	TimeZone   *string // an IANA name checked with LoadZone
	PrayerZone *string // a code checked with LookupPrayerZone
	Country    *string // a code checked with LookupCountry
}

// TimeZones tells a user's zone to the packages that read dates for them.
type TimeZones interface {
	// UserLocation returns the user's zone; DefaultZone's when the stored
	// name cannot be loaded. ENOTFOUND for an unknown user.
	UserLocation(ctx context.Context, id UserID) (*time.Location, error)
	// UserPrayerZone returns the user's JAKIM zone code. ENOTFOUND.
	UserPrayerZone(ctx context.Context, id UserID) (string, error)
	// UserCountry returns the user's ISO 3166-1 alpha-2 country. ENOTFOUND.
	UserCountry(ctx context.Context, id UserID) (string, error)
}

// SessionUpdate changes a session; empty/nil fields keep their values. Reason
// and LastError go with State: they are written (even empty) whenever State is set.
type SessionUpdate struct {
	State         SessionState
	Reason        string
	LastError     string
	DeviceJID     *string // set on pairing; "" clears it on logout
	Phone         *string
	WantConnected *bool
	Name          *string
	AlwaysOn      *bool // the session's own live-delivery policy (nil: unchanged)
}

// SessionStore keeps WhatsApp sessions.
type SessionStore interface {
	// CreateSession stores a new session in state "new".
	CreateSession(ctx context.Context, uid UserID, name string) (Session, error)
	// Session returns the user's session. ENOTFOUND when absent or another user's.
	Session(ctx context.Context, uid UserID, sid SessionID) (Session, error)
	// Sessions lists the user's sessions, oldest first.
	Sessions(ctx context.Context, uid UserID) ([]Session, error)
	// UpdateSession applies u and appends a session.state event in the same
	// transaction; it returns the updated session and the event.
	UpdateSession(ctx context.Context, uid UserID, sid SessionID, u SessionUpdate) (Session, Event, error)
	// DeleteSession deletes the user's session with its messages and appends a
	// session.deleted event. ENOTFOUND when absent or another user's.
	DeleteSession(ctx context.Context, uid UserID, sid SessionID) (Event, error)
	// SessionsToReconnect lists, across users, the sessions that have a device
	// and WantConnected: those to bring back at start-up without a scan.
	SessionsToReconnect(ctx context.Context) ([]Session, error)
}

// MessageStore keeps messages.
type MessageStore interface {
	// StoreMessage stores m (UserID, SessionID, Chat, Sender, WAID required) and
	// appends its "message" event in the same transaction. A message already
	// stored (same session, chat, sender and WAID) is a no-op: inserted=false and
	// the stored copy is returned with a zero Event. Concurrent calls are
	// group-committed; the call returns after the commit.
	StoreMessage(ctx context.Context, m Message) (stored Message, ev Event, inserted bool, err error)
	// Messages lists a session's messages newest first. cursor is the
	// NextCursor of the previous page ("" for the first); EINVALID for a bad cursor.
	Messages(ctx context.Context, uid UserID, sid SessionID, cursor string, limit int) (Page[Message], error)
	// Message returns one message of the session. ENOTFOUND.
	Message(ctx context.Context, uid UserID, sid SessionID, id int64) (Message, error)
	// RecentMessages returns up to n latest messages of one chat, oldest first.
	RecentMessages(ctx context.Context, uid UserID, sid SessionID, chat string, n int) ([]Message, error)
	// ApplyChange applies an edit, delete, reaction or receipt to the stored
	// messages it names and appends one event per message changed (type
	// EventMessageEdited, ...Deleted, ...Reaction or ...Status; data: the
	// message after the change) in one transaction. A repeated or stale change,
	// or one aimed at a message not stored (or, for an edit or delete, not
	// Sender's), changes nothing: no events. EINVALID, ENOTFOUND (session).
	ApplyChange(ctx context.Context, uid UserID, sid SessionID, ch MessageChange) ([]Event, error)
	// MessageVersions returns the texts an edited message had, oldest first
	// (none if never edited). ENOTFOUND when the message is not in the session.
	MessageVersions(ctx context.Context, uid UserID, sid SessionID, id int64) ([]MessageVersion, error)
}

// TranscriptStore keeps what a voice note says.
type TranscriptStore interface {
	// SaveTranscript sets text as the text of the session's voice note id,
	// marked Transcript, and appends its EventMessageTranscribed event, in
	// one transaction. A message that is not a voice note, already has a
	// text, or was deleted is left alone: applied=false, no event.
	// EINVALID for text the store cannot keep; ENOTFOUND (session).
	SaveTranscript(ctx context.Context, uid UserID, sid SessionID, id int64, text string) (m Message, applied bool, err error)
}

// EventLog is the per-user ordered log of events. Every store method that
// appends to it (this one, and the writes that log their change with it)
// publishes what it appended through the Publisher after the commit.
type EventLog interface {
	// AppendEvent appends one event and returns it with its cursor.
	AppendEvent(ctx context.Context, uid UserID, sid SessionID, typ string, data []byte) (Event, error)
	// EventsAfter returns up to limit events with cursor > after, in order.
	EventsAfter(ctx context.Context, uid UserID, after int64, limit int) ([]Event, error)
}

// SecretStore keeps node-wide secrets such as the JWT signing key.
type SecretStore interface {
	// Secret returns the secret called name, storing gen()'s result first if
	// there is none yet. Safe when several processes race on the first call.
	Secret(ctx context.Context, name string, gen func() ([]byte, error)) ([]byte, error)
}
