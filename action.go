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
	Chat        string       `json:"chat,omitempty"` // the chat of that message (where a reply goes)
	Type        ActionType   `json:"type"`
	Title       string       `json:"title"`
	Status      ActionStatus `json:"status"`
	DueAt       *time.Time   `json:"dueAt,omitempty"`
	Repeat      string       `json:"repeat,omitempty"` // RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=MO"); see ParseRule
	People      []string     `json:"people,omitempty"`
	Amount      string       `json:"amount,omitempty"` // decimal string, e.g. "250.00"
	Currency    string       `json:"currency,omitempty"`
	Confidence  float64      `json:"confidence"`
	Span        string       `json:"span,omitempty"`  // the text that justified it
	Draft       string       `json:"draft,omitempty"` // suggested reply, for reply_needed
	SnoozeUntil *time.Time   `json:"snoozeUntil,omitempty"`
	Notify      bool         `json:"notify"` // when due, also sent as a WhatsApp message to the owner's own number
	CreatedAt   time.Time    `json:"createdAt"`
	UpdatedAt   time.Time    `json:"updatedAt"`
}

// DetectInput is one stored message with what the detector may use.
type DetectInput struct {
	Message  Message
	Context  []Message      // recent messages of the same chat, oldest first, without Message
	Location *time.Location // the user's time zone; nil means Asia/Kuala_Lumpur
	// PrayerZone is the user's JAKIM zone code, where prayer times ("lepas
	// zohor") are computed; "" means DefaultPrayerZone.
	PrayerZone string
	// Country is the user's ISO 3166-1 alpha-2 country, whose holidays a name
	// means ("Thanksgiving"); "" keeps the common reading.
	Country string
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

// Event types of actions in the per-user log.
const (
	EventActionCreated = "action.created"
	EventActionUpdated = "action.updated"
	EventActionDue     = "action.due"
)

// ActionFilter selects actions; zero fields do not filter.
type ActionFilter struct {
	Status    ActionStatus
	Type      ActionType
	SessionID SessionID
	DueAfter  *time.Time
	DueBefore *time.Time
}

// ActionUpdate changes an action. Status moves only along the lifecycle
// (pending -> accepted|dismissed, accepted -> done; ESTATE otherwise);
// SnoozeUntil re-schedules a reminder or meeting (and lets it fire again).
type ActionUpdate struct {
	Status      ActionStatus
	SnoozeUntil *time.Time
	Notify      *bool // also send a WhatsApp message to the owner when due
}

// Detection is one message's detector output, saved at most once.
type Detection struct {
	Message Message
	Actions []Action
}

// ActionStore keeps actions and the durable detection queue. Methods follow
// the store conventions of store.go.
type ActionStore interface {
	// PendingDetections returns up to limit incoming messages not yet
	// detected, oldest first, each with up to n messages of chat context: of
	// any user when on is nil, else only of users whose live lease on holds
	// or that no node holds (cluster mode: a node detects for the users it
	// hosts).
	PendingDetections(ctx context.Context, limit, n int, on *Holder) ([]DetectInput, error)
	// SaveDetection marks the message detected and stores its actions with
	// their action.created events, in one transaction, unless the message was
	// already detected (applied=false: nothing written). This is what makes
	// detection happen exactly once, whoever runs it and however often.
	SaveDetection(ctx context.Context, d Detection) (stored []Action, events []Event, applied bool, err error)
	// Actions lists the user's actions, newest first, with cursor pagination.
	Actions(ctx context.Context, uid UserID, f ActionFilter, cursor string, limit int) (Page[Action], error)
	// Action returns one of the user's actions. ENOTFOUND.
	Action(ctx context.Context, uid UserID, id int64) (Action, error)
	// UpdateAction applies u with an action.updated event. ENOTFOUND, ESTATE, EINVALID.
	UpdateAction(ctx context.Context, uid UserID, id int64, u ActionUpdate) (Action, Event, error)
	// MarkExecuted claims an action for carrying out (its draft sent) and
	// marks it done, once: ESTATE when it already was or is closed.
	MarkExecuted(ctx context.Context, uid UserID, id int64) (Action, Event, error)
	// ReleaseExecution undoes a claim whose send failed, restoring status.
	ReleaseExecution(ctx context.Context, uid UserID, id int64, status ActionStatus) (Action, Event, error)
	// ClaimDueActions fires the reminders and meetings due at now: each is
	// claimed by exactly one caller across nodes, marked fired and logged as
	// action.due in the same transaction. A repeating one is not left fired:
	// in the same transaction its due time moves to the next occurrence (in
	// the user's zone), logged as action.updated after its action.due event.
	// The events are the action.due ones, one per action in order, then the
	// action.updated ones of the actions that moved. A nil on claims for any
	// user; else only for users whose live lease on holds or that no node
	// holds (cluster mode: the node that hosts the user fires its reminders
	// and sends them).
	ClaimDueActions(ctx context.Context, now time.Time, limit int, on *Holder) ([]Action, []Event, error)
	// UnfireAction schedules a fired reminder again (fired_at cleared, no
	// event): its send failed, so another node or tick fires it. A no-op when
	// it was not fired.
	UnfireAction(ctx context.Context, uid UserID, id int64) error
}
