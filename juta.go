// Package juta holds the domain of the Juta runtime: its nouns, the error type
// with stable codes, and the interfaces through which the adapter packages
// (actors, api, persistence, whatsapp) meet. It imports the standard library only.
package juta

import "time"

// UserID identifies an account. Ids are JSON numbers everywhere.
type UserID int64

// SessionID identifies one linked (or linking) WhatsApp account of a user.
type SessionID int64

// Role of an account.
const (
	RoleUser  = "user"
	RoleAdmin = "admin"
)

// User is an account. The password hash never leaves persistence.
type User struct {
	ID        UserID    `json:"id"`
	Phone     string    `json:"phoneNumber"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"createdAt"`
	// TimeZone is the IANA name of the user's zone ("Asia/Kuala_Lumpur"):
	// detection reads relative dates in it and the assistant answers in it.
	// It defaults to the zone of the registration number's country.
	TimeZone string `json:"timeZone"`
	// PrayerZone is the user's JAKIM prayer-time zone ("WLY01"): detection
	// reads "lepas asar" at its prayer times. DefaultPrayerZone at first.
	PrayerZone string `json:"prayerZone"`
	// Country is the user's country (ISO 3166-1 alpha-2, "MY"): detection
	// reads holiday names as it means them. It defaults to the registration
	// number's country, else DefaultCountry.
	Country string `json:"country"`
}

// SessionState is a session's place in its state machine.
type SessionState string

// Session states. "disconnected" reconnects with backoff; "logged_out" and
// "failed" are terminal until the user starts the session again.
const (
	StateNew          SessionState = "new"
	StateQR           SessionState = "qr"
	StatePairing      SessionState = "pairing"
	StateConnected    SessionState = "connected"
	StateDisconnected SessionState = "disconnected"
	StateLoggedOut    SessionState = "logged_out"
	StateFailed       SessionState = "failed"
	StateStopped      SessionState = "stopped" // stopped by the user; keys kept
)

// Failure reasons carried with StateFailed (and StateLoggedOut).
const (
	ReasonReplaced    = "replaced"    // another connection took the device (StreamReplaced)
	ReasonBanned      = "banned"      // the account was banned or the client is outdated
	ReasonUnreachable = "unreachable" // the network could not be reached after retries
	ReasonQRTimeout   = "qr_timeout"  // every QR code of an attempt expired unscanned
	ReasonLoggedOut   = "logged_out"  // the device was unlinked from the phone
	ReasonInternal    = "internal"    // a bug or store failure; see the logs
	ReasonPairFailed  = "pair_failed" // pairing was rejected
)

// Session is one WhatsApp account linked (or being linked) by a user.
type Session struct {
	ID SessionID `json:"id"`
	// UserID is the owner. It is never serialised: grantees of a shared
	// session read this object and must not learn another account's id
	// (operators get it as AdminSession.OwnerID).
	UserID    UserID       `json:"-"`
	Name      string       `json:"name"`
	DeviceJID string       `json:"deviceJid,omitempty"`
	Phone     string       `json:"phoneNumber,omitempty"`
	State     SessionState `json:"state"`
	Reason    string       `json:"reason,omitempty"`
	// LastError is the last connection failure in words ("dial tcp: lookup
	// web.whatsapp.com: no such host") while Reason is "unreachable".
	LastError string `json:"lastError,omitempty"`
	// WantConnected is true while the session should be online: set when linking
	// starts or succeeds, cleared on logout/failure. Start-up reconnects every
	// session with WantConnected and a device.
	WantConnected bool       `json:"-"`
	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt"`
	ConnectedAt   *time.Time `json:"connectedAt,omitempty"`
	// AlwaysOn keeps the session's WhatsApp connection up while its user is
	// idle, so messages arrive (and webhooks fire) as they come rather than at
	// the next wake-up. Unless set, it is on when the owner has a webhook for
	// the session.
	AlwaysOn bool `json:"alwaysOn"`
	// SendPacing is the session's send budget (filled in by the runtime).
	SendPacing *SendPacing `json:"sendPacing,omitempty"`
}

// SendPacing limits sends per session so that a client cannot get a number
// banned by flooding: PerMinute on average, Burst at once; beyond it a send
// gets rate_limited with Retry-After.
type SendPacing struct {
	PerMinute int `json:"perMinute"`
	Burst     int `json:"burst"`
}

// Message is one stored WhatsApp message.
type Message struct {
	ID        int64     `json:"id"`
	UserID    UserID    `json:"-"`
	SessionID SessionID `json:"sessionId"`
	Chat      string    `json:"chat"`   // chat JID or E.164 phone of the peer
	Sender    string    `json:"sender"` // sender JID or E.164 phone
	// SenderName is the name the sender gave themselves (WhatsApp's push
	// name) when the message arrived; "" when unknown.
	SenderName string `json:"senderName,omitempty"`
	// ContactName is the name the user saved the sender under (read with
	// the message; "" when unknown or the sender is the user).
	ContactName  string `json:"contactName,omitempty"`
	WAID         string `json:"waId"` // WhatsApp's message id
	FromMe       bool   `json:"fromMe"`
	Text         string `json:"text"` // the text, or a media message's caption
	Content             // kind and what a non-text message carries
	MessageState        // edits, delete, reactions, delivery status
	// History marks a message from the batch WhatsApp sends when a phone is
	// linked: stored, never detected, not pushed live.
	History bool `json:"history,omitempty"`
	// Transcript marks a voice note whose Text a transcription endpoint
	// wrote (EventMessageTranscribed): what was said, not what was typed.
	Transcript bool      `json:"transcript,omitempty"`
	SentAt     time.Time `json:"sentAt"`
	StoredAt   time.Time `json:"storedAt"`
}

// QRCode is the code a session currently shows for linking. Its JSON member is
// "qr", never "code": "code" is the machine code of a problem document, and a
// client that reads a failed answer must not mistake it for a QR code.
type QRCode struct {
	Code      string    `json:"qr"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Event types in the per-user log.
const (
	EventSessionState = "session.state"
	EventSessionQR    = "session.qr"
	EventSessionGone  = "session.deleted"
	EventMessage      = "message"
)

// Event is one entry of a user's ordered event log. Cursor is gapless and
// increasing per user; clients resume with "after=<cursor>".
type Event struct {
	Cursor    int64     `json:"cursor"`
	UserID    UserID    `json:"-"`
	SessionID SessionID `json:"sessionId,omitempty"`
	Type      string    `json:"type"`
	Data      []byte    `json:"data"` // JSON document; api renders it raw
	CreatedAt time.Time `json:"createdAt"`
}

// Page is one page of a cursor-paginated list. NextCursor is empty on the last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}
