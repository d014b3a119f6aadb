package persistence

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// The worker side of the webhook store. A claim is a lease (locked_until)
// plus a fencing token (lock_token): FOR UPDATE SKIP LOCKED keeps concurrent
// claimers off each other's rows while they claim, the lease keeps them off
// afterwards, and the token refuses a late write from a worker whose lease
// ran out and was taken over.
//
// Claiming spans users and runs as the connecting role; everything done with
// a claim acts for the webhook's user (see rls.go).

// ClaimWebhooks leases up to n due webhooks across users.
func (db *DB) ClaimWebhooks(ctx context.Context, lease time.Duration, n int) ([]juta.WebhookClaim, error) {
	rows, err := db.pool.Query(ctx, `WITH due AS (
		SELECT w.id FROM webhooks w
		WHERE (w.locked_until IS NULL OR w.locked_until < now())
		  AND ((w.next_attempt_at <= now()
		        AND EXISTS (SELECT 1 FROM users u WHERE u.id = w.user_id AND u.event_seq > w.cursor))
		    OR EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'queued'))
		ORDER BY w.next_attempt_at
		LIMIT $2
		FOR UPDATE OF w SKIP LOCKED)
	UPDATE webhooks w
	SET locked_until = now() + $1 * interval '1 millisecond', lock_token = w.lock_token + 1
	FROM due WHERE w.id = due.id
	RETURNING w.id, w.user_id, coalesce(w.session_id, 0), w.url, w.events, w.secret, w.cursor, w.attempts,
		coalesce(w.delivery_id, 0), coalesce(w.delivery_cursor, 0), w.lock_token, w.next_attempt_at <= now()`,
		lease.Milliseconds(), n)
	if err != nil {
		return nil, dbError(err, "claim webhooks")
	}
	claims, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.WebhookClaim, error) {
		var c juta.WebhookClaim
		w := &c.Webhook
		err := r.Scan(&w.ID, &w.UserID, &w.SessionID, &w.URL, &w.Events, &w.Secret, &w.Cursor, &w.Attempts,
			&c.DeliveryID, &c.DeliveryCursor, &c.Token, &c.StreamDue)
		return c, err
	})
	return claims, dbError(err, "claim webhooks")
}

// WebhookEvents returns the user's events after the claim's cursor.
func (db *DB) WebhookEvents(ctx context.Context, c juta.WebhookClaim, limit int) ([]juta.Event, error) {
	return db.EventsAfter(ctx, c.Webhook.UserID, c.Webhook.Cursor, limit)
}

// StartDelivery returns the delivery id for an attempt at cursor.
func (db *DB) StartDelivery(ctx context.Context, c *juta.WebhookClaim, cursor int64) (int64, error) {
	if c.DeliveryID != 0 && c.DeliveryCursor == cursor {
		return c.DeliveryID, nil
	}
	var id int64
	_, err := userRow(ctx, db, c.Webhook.UserID, func(row pgx.Row) (struct{}, error) {
		return struct{}{}, row.Scan(&id, &c.Webhook.Attempts)
	}, `UPDATE webhooks SET
			attempts = CASE WHEN delivery_cursor = $3 THEN attempts ELSE 0 END,
			delivery_id = CASE WHEN delivery_cursor = $3 THEN delivery_id ELSE nextval('webhook_delivery_seq') END,
			delivery_cursor = $3
		WHERE id = $1 AND lock_token = $2 RETURNING delivery_id, attempts`, c.Webhook.ID, c.Token, cursor)
	if err != nil {
		return 0, fenced(err, "start delivery")
	}
	c.DeliveryID, c.DeliveryCursor = id, cursor
	return id, nil
}

// AdvanceWebhook moves the cursor forward (never back) and clears the
// attempt state.
func (db *DB) AdvanceWebhook(ctx context.Context, c *juta.WebhookClaim, cursor int64) error {
	err := db.userTx(ctx, c.Webhook.UserID, func(tx pgx.Tx) error {
		prev := c.Webhook.Cursor
		if err := advance(ctx, tx, c, cursor); err != nil || c.Webhook.Cursor <= prev {
			return err
		}
		return sampleDelay(ctx, tx, c.Webhook, c.Webhook.Cursor)
	})
	return fenced(err, "advance webhook")
}

func advance(ctx context.Context, tx pgx.Tx, c *juta.WebhookClaim, cursor int64) error {
	var got int64
	err := tx.QueryRow(ctx, `UPDATE webhooks SET cursor = greatest(cursor, $3), attempts = 0,
			delivery_id = NULL, delivery_cursor = NULL, last_error = '', next_attempt_at = now()
		WHERE id = $1 AND lock_token = $2 RETURNING cursor`, c.Webhook.ID, c.Token, cursor).Scan(&got)
	if err != nil {
		return err
	}
	c.Webhook.Cursor, c.Webhook.Attempts = got, 0
	c.DeliveryID, c.DeliveryCursor = 0, 0
	return nil
}

// RetryWebhook records a failed attempt and ends the lease until delay has
// passed.
func (db *DB) RetryWebhook(ctx context.Context, c *juta.WebhookClaim, f juta.WebhookFailure, delay time.Duration) error {
	_, err := userRow(ctx, db, c.Webhook.UserID, func(row pgx.Row) (struct{}, error) {
		return struct{}{}, row.Scan(&c.Webhook.Attempts)
	}, `UPDATE webhooks SET attempts = attempts + 1, last_error = $3,
			next_attempt_at = now() + $4 * interval '1 millisecond', locked_until = NULL
		WHERE id = $1 AND lock_token = $2 RETURNING attempts`,
		c.Webhook.ID, c.Token, f.Error, delay.Milliseconds())
	return fenced(err, "retry webhook")
}

// DeadLetter stores the failed delivery and moves past it in one transaction.
func (db *DB) DeadLetter(ctx context.Context, c *juta.WebhookClaim, f juta.WebhookFailure) error {
	attempts := c.Webhook.Attempts + 1
	err := db.userTx(ctx, c.Webhook.UserID, func(tx pgx.Tx) error {
		if err := advance(ctx, tx, c, f.Cursor); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries
				(id, user_id, webhook_id, cursor, event_type, status, attempts, last_status, last_error)
			VALUES ($1, $2, $3, $4, $5, 'dead', $6, $7, $8)
			ON CONFLICT (webhook_id, cursor) DO UPDATE SET status = 'dead',
				attempts = webhook_deliveries.attempts + EXCLUDED.attempts,
				last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error, updated_at = now()`,
			f.DeliveryID, c.Webhook.UserID, c.Webhook.ID, f.Cursor, f.EventType, attempts, f.Status, f.Error)
		return err
	})
	return fenced(err, "dead-letter delivery")
}

// QueuedDeliveries returns queued redeliveries with their events. One whose
// event has left the log cannot be sent again: it goes back to "dead".
func (db *DB) QueuedDeliveries(ctx context.Context, c juta.WebhookClaim, limit int) ([]juta.QueuedDelivery, error) {
	var qs []juta.QueuedDelivery
	// Both statements travel in one round trip; the select sees the update.
	err := db.userBatch(ctx, c.Webhook.UserID, func(b *pgx.Batch) {
		b.Queue(`UPDATE webhook_deliveries d SET status = 'dead',
				last_error = 'the event is no longer in the log', updated_at = now()
			WHERE d.webhook_id = $1 AND d.user_id = $2 AND d.status = 'queued'
			  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = d.user_id AND e.cursor = d.cursor)`,
			c.Webhook.ID, c.Webhook.UserID)
		b.Queue(`SELECT d.id, d.webhook_id, d.cursor, d.event_type, d.status, d.attempts,
				d.last_status, d.last_error, d.created_at, d.updated_at,
				coalesce(e.session_id, 0), e.type, e.data::text, e.created_at
			FROM webhook_deliveries d JOIN events e ON e.user_id = d.user_id AND e.cursor = d.cursor
			WHERE d.webhook_id = $1 AND d.user_id = $2 AND d.status = 'queued'
			ORDER BY d.id LIMIT $3`, c.Webhook.ID, c.Webhook.UserID, limit).
			Query(func(rows pgx.Rows) error {
				var err error
				qs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.QueuedDelivery, error) {
					return scanQueued(r, c.Webhook.UserID)
				})
				return err
			})
	})
	return qs, dbError(err, "queued deliveries")
}

func scanQueued(r pgx.CollectableRow, uid juta.UserID) (juta.QueuedDelivery, error) {
	var q juta.QueuedDelivery
	d, ev := &q.Delivery, &q.Event
	var status, data string
	err := r.Scan(&d.ID, &d.WebhookID, &d.Cursor, &d.EventType, &status, &d.Attempts, &d.LastStatus,
		&d.LastError, &d.CreatedAt, &d.UpdatedAt, &ev.SessionID, &ev.Type, &data, &ev.CreatedAt)
	d.Status, ev.Data = juta.DeliveryStatus(status), []byte(data)
	ev.UserID, ev.Cursor = uid, d.Cursor
	return q, err
}

// FinishRedelivery records the outcome of a redelivery attempt.
func (db *DB) FinishRedelivery(ctx context.Context, c juta.WebhookClaim, deliveryID int64, f *juta.WebhookFailure) error {
	status, lastStatus, lastErr := juta.DeliveryDelivered, 0, ""
	if f != nil {
		status, lastStatus, lastErr = juta.DeliveryDead, f.Status, f.Error
	}
	_, err := userRow(ctx, db, c.Webhook.UserID, func(row pgx.Row) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, `UPDATE webhook_deliveries d SET status = $4, attempts = d.attempts + 1,
			last_status = $5, last_error = $6, updated_at = now()
		FROM webhooks w
		WHERE d.id = $1 AND d.status = 'queued' AND w.id = d.webhook_id AND w.id = $2 AND w.lock_token = $3
		RETURNING d.id`, deliveryID, c.Webhook.ID, c.Token, string(status), lastStatus, lastErr)
	return fenced(err, "finish redelivery")
}

// ReleaseWebhook ends the lease early.
func (db *DB) ReleaseWebhook(ctx context.Context, c juta.WebhookClaim) error {
	_, err := db.userExec(ctx, c.Webhook.UserID, `UPDATE webhooks SET locked_until = NULL WHERE id = $1 AND lock_token = $2`,
		c.Webhook.ID, c.Token)
	return dbError(err, "release webhook")
}

// fenced reads "no row updated" as a lost lease: the webhook was claimed by
// another worker, deleted, or (for a redelivery) no longer queued.
func fenced(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return &juta.Error{Code: juta.ESTATE, Message: what + ": webhook lease lost", Err: err}
	}
	return dbError(err, what)
}
