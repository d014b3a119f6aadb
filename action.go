package juta

import (
	"context"
	"time"
)

// ActionType is what a message asks of the user.
type ActionType string

// Action types.
const (
	ActionMeeting     ActionType = "meeting"
	ActionReminder    ActionType = "reminder"
	ActionPayment     ActionType = "payment"
	ActionTask        ActionType = "task"
	ActionReplyNeeded ActionType = "reply_needed"
)

// ActionStatus is an action's place in its lifecycle:
// pending -> accepted | dismissed; accepted -> done.
type ActionStatus string

// Action statuses.
const (
	ActionPending   ActionStatus = "pending"
	ActionAccepted  ActionStatus = "accepted"
	ActionDismissed ActionStatus = "dismissed"
	ActionDone      ActionStatus = "done"
)

// Action is a suggestion drawn from a message.
type Action struct {
	ID          int64        `json:"id"`
	UserID      UserID       `json:"-"`
	SessionID   SessionID    `json:"sessionId"`
	MessageID   int64        `json:"messageId"`
	Type        ActionType   `json:"type"`
	Title       string       `json:"title"`
	Status      ActionStatus `json:"status"`
	DueAt       *time.Time   `json:"dueAt,omitempty"`
	People      []string     `json:"people,omitempty"`
	Amount      string       `json:"amount,omitempty"` // decimal string, e.g. "250.00"
	Currency    string       `json:"currency,omitempty"`
	Confidence  float64      `json:"confidence"`
	Span        string       `json:"span,omitempty"`  // the text that justified it
	Draft       string       `json:"draft,omitempty"` // suggested reply, for reply_needed
	SnoozeUntil *time.Time   `json:"snoozeUntil,omitempty"`
	CreatedAt   time.Time    `json:"createdAt"`
	UpdatedAt   time.Time    `json:"updatedAt"`
}

// DetectInput is one stored message with what the detector may use.
type DetectInput struct {
	Message  Message
	Context  []Message      // recent messages of the same chat, oldest first, without Message
	Location *time.Location // the user's time zone; nil means Asia/Kuala_Lumpur
}

// Detector turns a message into zero or more suggested actions. It is safe
// for concurrent use, deterministic for the rules implementation, and must
// not block for long without honouring ctx. Returned actions carry Type,
// Title, Confidence, Span and, where found, DueAt (absolute, resolved from the
// message's own SentAt), People, Amount and Currency; ids, status and
// timestamps are set by the store.
type Detector interface {
	Detect(ctx context.Context, in DetectInput) ([]Action, error)
}
