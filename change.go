package juta

import (
	"time"
	"unicode/utf8"
)

// EditWindow is how long after sending WhatsApp lets a message be edited:
// fifteen minutes (WhatsApp's announcement "Edit messages", May 2023).
const EditWindow = 15 * time.Minute

// MessageStatus is how far a message the user sent has got. Incoming messages
// have none ("").
type MessageStatus string

// Statuses of sent messages, in the order they advance; a receipt never moves
// a message back (a late "delivered" after "read" changes nothing).
const (
	StatusSent      MessageStatus = "sent"
	StatusDelivered MessageStatus = "delivered"
	StatusRead      MessageStatus = "read"
	StatusFailed    MessageStatus = "failed"
)

// MessageStatuses lists every status, in the order they advance.
var MessageStatuses = []MessageStatus{StatusSent, StatusDelivered, StatusRead, StatusFailed}

// Events of changes to a stored message. Their data is the message as it is
// after the change (the same document as a "message" event).
const (
	EventMessageEdited   = "message.edited"
	EventMessageDeleted  = "message.deleted"
	EventMessageReaction = "message.reaction"
	EventMessageStatus   = "message.status"
	// EventMessageTranscribed: a voice note got its transcript as its text.
	EventMessageTranscribed = "message.transcribed"
)

// MessageState is what happens to a message after it is stored: edits, a
// delete for everyone, reactions and, for the user's own messages, delivery
// status. It is embedded in Message; the zero state writes nothing.
type MessageState struct {
	Status    MessageStatus `json:"status,omitempty"`
	EditedAt  *time.Time    `json:"editedAt,omitempty"`
	DeletedAt *time.Time    `json:"deletedAt,omitempty"`
	Reactions []Reaction    `json:"reactions,omitempty"`
}

// IsZero reports whether s holds nothing.
func (s *MessageState) IsZero() bool {
	return s.Status == "" && s.EditedAt == nil && s.DeletedAt == nil && len(s.Reactions) == 0
}

// Reaction is one person's current reaction to a message. FromMe is true
// for the session user's own (sent from the dashboard, the API or their
// phone): it is derived on read from the session's own number, never
// stored, so there is one source for who the user is.
type Reaction struct {
	Sender string    `json:"sender"`
	Emoji  string    `json:"emoji"`
	At     time.Time `json:"at"`
	FromMe bool      `json:"fromMe"`
}

// MessageVersion is one text a message had: the original, then each edit.
type MessageVersion struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// ChangeKind says what a MessageChange does.
type ChangeKind string

// Kinds of change.
const (
	ChangeEdit     ChangeKind = "edit"     // Text replaces the target's text (or caption)
	ChangeDelete   ChangeKind = "delete"   // the target was deleted for everyone
	ChangeReaction ChangeKind = "reaction" // Text is Sender's emoji, "" to take it back
	ChangeReceipt  ChangeKind = "receipt"  // the targets, sent by the user, reached Status
)

// MessageChange is something that happened to messages already stored. Chat
// and Targets (WhatsApp ids) find them; an edit or delete applies only to a
// message whose sender is Sender. WAID is the change's own WhatsApp id (the
// edit, delete or reaction message), "" for receipts. At orders changes: an
// older one arriving late never undoes a newer one.
type MessageChange struct {
	Kind    ChangeKind
	Chat    string
	Sender  string
	WAID    string
	Targets []string
	Text    string
	Status  MessageStatus
	At      time.Time
}

// CheckOwnChange says whether the user may send a change of kind to the
// stored message m at now: anyone may react to a message not deleted; only
// the user's own messages may be edited or deleted for everyone, only a text
// message or the caption of a photo, video or document may be edited (a
// caption to at most MaxCaption characters), and only within EditWindow of
// sending. text is the change's text (an edit's new text or caption).
// ENOTFOUND for a deleted message, EFORBIDDEN for another's, ESTATE when
// too old to edit, EINVALID for a kind the user cannot send.
func CheckOwnChange(m Message, kind ChangeKind, text string, now time.Time) error {
	switch {
	case kind != ChangeReaction && kind != ChangeEdit && kind != ChangeDelete:
		return Errorf(EINVALID, "a sent change is a reaction, an edit or a delete")
	case m.DeletedAt != nil:
		return Errorf(ENOTFOUND, "message %d was deleted", m.ID)
	case kind == ChangeReaction:
		return nil
	case !m.FromMe:
		return Errorf(EFORBIDDEN, "only your own messages can be edited or deleted for everyone")
	case kind == ChangeEdit && m.Kind != KindText && m.Kind != "" && !m.Kind.HasCaption():
		return Errorf(EINVALID, "only a text message or the caption of a photo, video or document can be edited")
	case kind == ChangeEdit && m.Kind.HasCaption() && utf8.RuneCountInString(text) > MaxCaption:
		return Errorf(EINVALID, "a caption must be at most %d characters", MaxCaption)
	case kind == ChangeEdit && now.Sub(m.SentAt) > EditWindow:
		return Errorf(ESTATE, "a message can be edited only within %v of sending", EditWindow)
	}
	return nil
}
