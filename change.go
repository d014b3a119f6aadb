package juta

import "time"

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

// Reaction is one person's current reaction to a message.
type Reaction struct {
	Sender string    `json:"sender"`
	Emoji  string    `json:"emoji"`
	At     time.Time `json:"at"`
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
