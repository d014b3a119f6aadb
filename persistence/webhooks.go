package persistence

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var (
	_ juta.WebhookStore = (*DB)(nil)
	_ juta.WebhookQueue = (*DB)(nil)
)

// MaxWebhooksPerUser bounds how many webhooks one account may keep: each one
// costs the worker a claim per pending event.
const MaxWebhooksPerUser = 25

const (
	defaultDeliveryLimit = 50
	maxDeliveryLimit     = 200
)

// webhookColumns are read by scanWebhook; the secret is never among them.
const webhookColumns = `id, user_id, coalesce(session_id, 0), url, events, cursor, attempts,
	CASE WHEN attempts > 0 THEN next_attempt_at END, last_error, created_at`

// CreateWebhook stores w for uid, starting after the user's latest event so
// that only new events are delivered. The returned webhook carries w.Secret.
func (db *DB) CreateWebhook(ctx context.Context, uid juta.UserID, w juta.Webhook) (juta.Webhook, error) {
	if w.URL == "" || len(w.Events) == 0 || w.Secret == "" {
		return juta.Webhook{}, invalid("webhook needs a url, events and a secret")
	}
	var out juta.Webhook
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		// Locking the user row serialises this user's creations, so the count
		// below cannot be raced past the limit.
		var n int
		err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM webhooks WHERE user_id = u.id)
			FROM users u WHERE u.id = $1 FOR NO KEY UPDATE`, uid).Scan(&n)
		if err != nil {
			return err
		}
		if n >= MaxWebhooksPerUser {
			return juta.Errorf(juta.EQUOTA, "an account may have at most %d webhooks", MaxWebhooksPerUser)
		}
		row := tx.QueryRow(ctx, `INSERT INTO webhooks (user_id, session_id, url, events, secret, cursor)
			SELECT id, nullif($2::bigint, 0), $3, $4, $5, event_seq FROM users WHERE id = $1
			RETURNING `+webhookColumns, uid, int64(w.SessionID), w.URL, w.Events, w.Secret)
		out, err = scanWebhook(row)
		return err
	})
	if err = dbError(err, "create webhook"); err != nil {
		if juta.ErrorCode(err) == juta.ENOTFOUND && w.SessionID != 0 {
			// The composite key to wa_sessions failed: not one of uid's sessions.
			return juta.Webhook{}, notFound("session %d not found", w.SessionID)
		}
		return juta.Webhook{}, err
	}
	out.Secret = w.Secret
	return out, nil
}

// Webhook returns one of uid's webhooks without its secret.
func (db *DB) Webhook(ctx context.Context, uid juta.UserID, id juta.WebhookID) (juta.Webhook, error) {
	w, err := userRow(ctx, db, uid, scanWebhook, `SELECT `+webhookColumns+` FROM webhooks
		WHERE id = $1 AND user_id = $2`, id, uid)
	if err != nil {
		return juta.Webhook{}, dbError(err, "webhook")
	}
	return w, nil
}

// Webhooks lists uid's webhooks, oldest first, without secrets.
func (db *DB) Webhooks(ctx context.Context, uid juta.UserID) ([]juta.Webhook, error) {
	ws, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.Webhook, error) { return scanWebhook(r) },
		`SELECT `+webhookColumns+` FROM webhooks WHERE user_id = $1 ORDER BY id`, uid)
	if err != nil {
		return nil, dbError(err, "list webhooks")
	}
	if ws == nil {
		ws = []juta.Webhook{}
	}
	return ws, nil
}

// DeleteWebhook removes the webhook and, by cascade, its deliveries. A worker
// holding it finds its token stale on its next write and drops it.
func (db *DB) DeleteWebhook(ctx context.Context, uid juta.UserID, id juta.WebhookID) error {
	tag, err := db.userExec(ctx, uid, `DELETE FROM webhooks WHERE id = $1 AND user_id = $2`, id, uid)
	if err != nil {
		return dbError(err, "delete webhook")
	}
	if tag.RowsAffected() == 0 {
		return notFound("webhook %d not found", id)
	}
	return nil
}

// WebhookDeliveries lists the webhook's dead-letter entries newest first.
// limit 0 means 50; it is clamped to 1..200.
func (db *DB) WebhookDeliveries(ctx context.Context, uid juta.UserID, id juta.WebhookID, status juta.DeliveryStatus,
	cursor string, limit int) (juta.Page[juta.WebhookDelivery], error) {
	var page juta.Page[juta.WebhookDelivery]
	before, err := decodeCursor(cursor)
	if err != nil {
		return page, err
	}
	if _, err := db.Webhook(ctx, uid, id); err != nil {
		return page, err
	}
	limit = clamp(limit, defaultDeliveryLimit, maxDeliveryLimit)
	page.Items, err = userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.WebhookDelivery, error) {
		return scanDelivery(r)
	}, `SELECT `+deliveryColumns+` FROM webhook_deliveries
		WHERE webhook_id = $1 AND user_id = $2 AND id < $3 AND ($4 = '' OR status = $4)
		ORDER BY id DESC LIMIT $5`, id, uid, pageBound(before), string(status), limit+1)
	if err != nil {
		return page, dbError(err, "list deliveries")
	}
	return pageOf(page.Items, limit, func(d juta.WebhookDelivery) int64 { return d.ID }), nil
}

// Redeliver queues one more attempt at a dead-lettered delivery.
func (db *DB) Redeliver(ctx context.Context, uid juta.UserID, id juta.WebhookID, deliveryID int64) (juta.WebhookDelivery, error) {
	d, err := userRow(ctx, db, uid, scanDelivery, `UPDATE webhook_deliveries
		SET status = 'queued', updated_at = CASE WHEN status = 'queued' THEN updated_at ELSE now() END
		WHERE id = $1 AND webhook_id = $2 AND user_id = $3
		RETURNING `+deliveryColumns, deliveryID, id, uid)
	if err != nil {
		return juta.WebhookDelivery{}, dbError(err, "redeliver")
	}
	return d, nil
}

const deliveryColumns = `id, webhook_id, cursor, event_type, status, attempts, last_status, last_error,
	created_at, updated_at`

func scanDelivery(row pgx.Row) (juta.WebhookDelivery, error) {
	var d juta.WebhookDelivery
	var status string
	err := row.Scan(&d.ID, &d.WebhookID, &d.Cursor, &d.EventType, &status, &d.Attempts, &d.LastStatus,
		&d.LastError, &d.CreatedAt, &d.UpdatedAt)
	d.Status = juta.DeliveryStatus(status)
	return d, err
}

func scanWebhook(row pgx.Row) (juta.Webhook, error) {
	var w juta.Webhook
	var next *time.Time
	err := row.Scan(&w.ID, &w.UserID, &w.SessionID, &w.URL, &w.Events, &w.Cursor, &w.Attempts, &next,
		&w.LastError, &w.CreatedAt)
	w.NextAttempt = next
	return w, err
}
