package juta

import (
	"context"
	"os"
	"time"
)

// WAEvent is an event a WhatsApp client reports to its session. Implementations
// are the WA* structs below.
type WAEvent interface{ waEvent() }

// WAQR: a new linking code to show; it replaces the previous one. An attempt
// shows up to 6 codes (the first lives 60 s, the others 20 s each).
type WAQR struct {
	Code      string
	ExpiresAt time.Time
}

// WAPaired: the phone accepted the device (QR scan or pairing code). DeviceJID
// identifies the device from now on; its keys are already stored.
type WAPaired struct {
	DeviceJID string
	Phone     string // E.164 of the linked account, e.g. "+60123456789"
}

// WAConnected: the connection is up and authenticated; offline messages follow.
type WAConnected struct{}

// WADisconnected: the connection dropped for a reason that may heal (network,
// server restart). The client does not reconnect by itself: the session does,
// with backoff.
type WADisconnected struct{ Err error }

// WALoggedOut: the device was unlinked (from the phone, or rejected at
// connect). Its keys are gone; only a new link brings the account back.
type WALoggedOut struct{ Reason string }

// WAReplaced: another connection took this device (StreamReplaced). The session
// stops and must never reconnect by itself.
type WAReplaced struct{}

// WAFailed: a terminal failure with one of the Reason* codes (qr_timeout,
// banned, unreachable, pair_failed).
type WAFailed struct {
	Reason string
	Err    error
}

// WAIncoming: a message arrived (or one we sent from another device). The
// handler must return true only once the message is durably stored; false
// withholds the acknowledgement so WhatsApp delivers it again. The same message
// may be delivered more than once.
type WAIncoming struct {
	Chat   string // peer: E.164 phone or JID of the chat
	Sender string
	// SenderName is the sender's push name, "" when the network sent none.
	SenderName string
	WAID       string
	FromMe     bool
	Text       string // the text, or a media message's caption
	// History: part of the batch of past messages sent at linking.
	History bool
	Content
	SentAt time.Time
}

// WAChange: something happened to messages already delivered (an edit, a
// delete for everyone, a reaction, a receipt). Like WAIncoming, the handler
// returns true only once the change is durably stored, and the same change
// may be delivered more than once.
type WAChange struct{ MessageChange }

func (WAQR) waEvent()           {}
func (WAChange) waEvent()       {}
func (WAPaired) waEvent()       {}
func (WAConnected) waEvent()    {}
func (WADisconnected) waEvent() {}
func (WALoggedOut) waEvent()    {}
func (WAReplaced) waEvent()     {}
func (WAFailed) waEvent()       {}
func (WAIncoming) waEvent()     {}

// DefaultHistoryWindow bounds the history batch stored at linking: older
// messages in it are skipped.
const DefaultHistoryWindow = 90 * 24 * time.Hour

// WAHandler receives a client's events, one at a time per client, on the
// client's own goroutine. Its result matters for WAIncoming only (see there).
// It must not block for long except to store an incoming message.
type WAHandler func(WAEvent) bool

// WAClient is one WhatsApp device connection. Methods are safe for concurrent
// use. Events go to the WAHandler given to WAProvider.NewClient.
type WAClient interface {
	// Connect dials and authenticates; it returns once the connection attempt
	// has an outcome (connected, QR flow started, or an error). An unpaired
	// device then reports WAQR events until it is paired or the attempt ends
	// with WAFailed{qr_timeout}. A network error is returned, not retried.
	Connect(ctx context.Context) error
	// Disconnect closes the connection without unlinking; keys stay. No
	// WADisconnected is reported for it. Idempotent.
	Disconnect()
	// PairPhone asks for a phone pairing code for the E.164 phone, as an
	// alternative to the QR code. Only valid while an unpaired device is connected.
	PairPhone(ctx context.Context, phone string) (string, error)
	// SendText sends text to the E.164 phone or JID under the message id waID
	// ("" = a new one) and returns WhatsApp's id of the message and its
	// timestamp. Recipients deduplicate by message id, so sending again under
	// the same id never delivers a second copy.
	SendText(ctx context.Context, to, text, waID string) (id string, sentAt time.Time, err error)
	// SendMessage sends out (a reply, a location, contact cards or a file,
	// see WAOutgoing) to the E.164 phone or JID under waID as SendText; a
	// file is uploaded first and WASent.Media says how to download it again.
	SendMessage(ctx context.Context, to string, out WAOutgoing, waID string) (WASent, error)
	// SendChange sends a change of the message target of the chat, under the
	// message id waID ("" = a new one), and returns the change's own id and
	// timestamp: a reaction (text the emoji, "" takes it back), an edit of
	// the user's own text or of the caption of their photo, video or
	// document (text the new text or caption, target.Kind says which) or a
	// delete for everyone of the user's own message. Repeats deduplicate as for SendText.
	SendChange(ctx context.Context, chat string, target MessageKey, kind ChangeKind, text, waID string) (id string, sentAt time.Time, err error)
	// Download writes the file of a media message of kind k, decrypted and
	// checked against ref's checksums, into the empty file into; size
	// bounds it. ESTATE when the client must be connected and is not;
	// ENOTFOUND when WhatsApp no longer has the file (it keeps media for a
	// limited time).
	Download(ctx context.Context, k MessageKind, ref MediaRef, size int64, into *os.File) error
	// Logout unlinks the device from the account and deletes its keys.
	Logout(ctx context.Context) error
	// DeviceJID is the paired device's id, "" until paired.
	DeviceJID() string
}

// MessageKey names a message to WhatsApp: its id, its sender and whether
// the user sent it. Kind, when known, is the message's kind: an edit of a
// photo, video or document replaces its caption, sent as that kind.
type MessageKey struct {
	WAID   string
	Sender string
	FromMe bool
	Kind   MessageKind
}

// WAProvider builds clients. Implementations: whatsapp (whatsmeow) and
// whatsapp/sim.
type WAProvider interface {
	// NewClient returns an unconnected client for the device deviceJID, or a
	// new device to be linked when deviceJID is "". It does no network I/O.
	// ENOTFOUND when deviceJID has no stored keys.
	NewClient(ctx context.Context, sid SessionID, deviceJID string, h WAHandler) (WAClient, error)
}
