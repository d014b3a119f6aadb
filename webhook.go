package juta

import (
	"context"
	"strings"
	"time"
)

// WebhookID identifies a webhook. Ids are JSON numbers everywhere.
type WebhookID int64

// WebhookAllEvents in a webhook's event list subscribes it to every type.
const WebhookAllEvents = "*"

// Webhook is an HTTP endpoint that receives a user's events, signed, at least
// once and in cursor order. Secret is filled only by CreateWebhook (the caller
// sees it once) and in a WebhookClaim (the worker signs with it); every other
// read leaves it empty.
type Webhook struct {
	ID        WebhookID `json:"id"`
	UserID    UserID    `json:"-"`
	SessionID SessionID `json:"sessionId,omitempty"` // 0: every session of the user
	URL       string    `json:"url"`
	Events    []string  `json:"events"` // event types, or ["*"]
	Secret    string    `json:"secret,omitempty"`
	// Cursor is the last event of the user's log that was delivered, filtered
	// out or dead-lettered.
	Cursor      int64      `json:"cursor"`
	Attempts    int        `json:"attempts"` // failed attempts at the event after Cursor
	NextAttempt *time.Time `json:"nextAttemptAt,omitempty"`
	LastError   string     `json:"lastError,omitempty"`
	CreatedAt   time.Time  `json:"createdAt"`
}

// Matches reports whether ev is one the webhook delivers.
func (w Webhook) Matches(ev Event) bool {
	if w.SessionID != 0 && ev.SessionID != w.SessionID {
		return false
	}
	for _, t := range w.Events {
		if t == WebhookAllEvents || t == ev.Type {
			return true
		}
		// "session.*" takes every type under "session.".
		if p, ok := strings.CutSuffix(t, ".*"); ok && strings.HasPrefix(ev.Type, p+".") {
			return true
		}
	}
	return false
}

// DeliveryStatus is where a dead-lettered delivery stands.
type DeliveryStatus string

// Delivery statuses: an event lands in "dead" after the last failed attempt;
// a manual redelivery makes it "queued" until the worker's one attempt leaves
// it "delivered" or "dead" again.
const (
	DeliveryDead      DeliveryStatus = "dead"
	DeliveryQueued    DeliveryStatus = "queued"
	DeliveryDelivered DeliveryStatus = "delivered"
)

// WebhookDelivery is one event's delivery to one webhook that needed the
// dead-letter list. Its ID is the X-Juta-Delivery id the receiver saw on every
// attempt, so receivers can drop duplicates by it.
type WebhookDelivery struct {
	ID         int64          `json:"id"`
	WebhookID  WebhookID      `json:"webhookId"`
	Cursor     int64          `json:"cursor"`
	EventType  string         `json:"eventType"`
	Status     DeliveryStatus `json:"status"`
	Attempts   int            `json:"attempts"`
	LastStatus int            `json:"lastStatus,omitempty"` // HTTP status of the last attempt, 0 if none came back
	LastError  string         `json:"lastError,omitempty"`
	CreatedAt  time.Time      `json:"createdAt"`
	UpdatedAt  time.Time      `json:"updatedAt"`
}

// WebhookStore keeps a user's webhooks (implemented by persistence).
type WebhookStore interface {
	// CreateWebhook stores w (URL, Events, SessionID, Secret set by the caller,
	// already validated) for uid; it starts after the user's latest event.
	// ENOTFOUND when SessionID is not one of uid's sessions; ECONFLICT when the
	// user has too many webhooks.
	CreateWebhook(ctx context.Context, uid UserID, w Webhook) (Webhook, error)
	// Webhook returns one of uid's webhooks without its secret. ENOTFOUND.
	Webhook(ctx context.Context, uid UserID, id WebhookID) (Webhook, error)
	// Webhooks lists uid's webhooks, oldest first, without secrets.
	Webhooks(ctx context.Context, uid UserID) ([]Webhook, error)
	// DeleteWebhook removes the webhook and its deliveries. ENOTFOUND.
	DeleteWebhook(ctx context.Context, uid UserID, id WebhookID) error
	// WebhookDeliveries lists the webhook's dead-letter entries newest first,
	// only those in status when it is not empty. cursor is the previous page's
	// NextCursor; EINVALID for a bad one, ENOTFOUND for another user's webhook.
	WebhookDeliveries(ctx context.Context, uid UserID, id WebhookID, status DeliveryStatus, cursor string, limit int) (Page[WebhookDelivery], error)
	// Redeliver queues one more attempt at a dead-lettered delivery and returns
	// it "queued" (a no-op when it is queued already). ENOTFOUND.
	Redeliver(ctx context.Context, uid UserID, id WebhookID, deliveryID int64) (WebhookDelivery, error)
}

// WebhookClaim is a webhook leased to one delivery worker. Token fences every
// write the worker makes: once another worker has claimed the webhook (the
// lease ran out), writes with the old token fail with ESTATE.
type WebhookClaim struct {
	Webhook Webhook // with Secret
	Token   int64
	// DeliveryID and DeliveryCursor name the event after Cursor that earlier
	// attempts were made at (0 when none): a retry keeps its delivery id.
	DeliveryID     int64
	DeliveryCursor int64
	// StreamDue is false while the event stream waits out a back-off; the
	// webhook was then claimed for queued redeliveries only.
	StreamDue bool
}

// WebhookFailure is the outcome of a failed attempt.
type WebhookFailure struct {
	Cursor     int64
	EventType  string
	DeliveryID int64
	Status     int    // HTTP status, 0 when none came back
	Error      string // caller-safe: no URL, no body
}

// WebhookQueue is the delivery worker's side of the webhook store. Claims are
// leases in the database, so workers on several nodes share the work and never
// hold the same webhook at once. Every method but ClaimWebhooks returns
// ESTATE when the claim's token is stale (the webhook was re-claimed or
// deleted): the worker must drop the webhook.
type WebhookQueue interface {
	// ClaimWebhooks leases up to n webhooks (across users) that have events
	// after their cursor and are past their back-off, or queued redeliveries.
	ClaimWebhooks(ctx context.Context, lease time.Duration, n int) ([]WebhookClaim, error)
	// WebhookEvents returns up to limit events of the claimed webhook's user
	// after the claim's cursor, in order, unfiltered.
	WebhookEvents(ctx context.Context, c WebhookClaim, limit int) ([]Event, error)
	// StartDelivery returns the delivery id of the attempt at cursor, reusing
	// the one of earlier attempts at the same event.
	StartDelivery(ctx context.Context, c *WebhookClaim, cursor int64) (int64, error)
	// AdvanceWebhook moves the cursor to cursor (delivered or filtered out)
	// and clears the attempt count.
	AdvanceWebhook(ctx context.Context, c *WebhookClaim, cursor int64) error
	// RetryWebhook records a failed attempt, schedules the next one after
	// delay (measured on the database clock, shared by every node) and ends
	// the lease.
	RetryWebhook(ctx context.Context, c *WebhookClaim, f WebhookFailure, delay time.Duration) error
	// DeadLetter stores the failed delivery in status "dead" and moves the
	// cursor past it, in one transaction.
	DeadLetter(ctx context.Context, c *WebhookClaim, f WebhookFailure) error
	// QueuedDeliveries returns up to limit queued redeliveries with their events.
	QueuedDeliveries(ctx context.Context, c WebhookClaim, limit int) ([]QueuedDelivery, error)
	// FinishRedelivery marks a queued delivery "delivered" (f nil) or "dead".
	FinishRedelivery(ctx context.Context, c WebhookClaim, deliveryID int64, f *WebhookFailure) error
	// ReleaseWebhook ends the lease early so the webhook can be claimed again.
	ReleaseWebhook(ctx context.Context, c WebhookClaim) error
}

// QueuedDelivery is a redelivery waiting for the worker, with its event.
type QueuedDelivery struct {
	Delivery WebhookDelivery
	Event    Event
}
