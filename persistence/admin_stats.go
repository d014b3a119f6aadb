package persistence

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.AdminStatsStore = (*DB)(nil)

// ingestMinutes is the window of the ingest rate.
const ingestMinutes = 60

// AdminStats implements juta.AdminStatsStore. Like the other admin reads it
// spans users, so it runs as the connecting role, in one read-only
// transaction so that its figures agree with each other.
func (db *DB) AdminStats(ctx context.Context, now time.Time) (juta.AdminStats, error) {
	st := juta.AdminStats{GeneratedAt: now.UTC()}
	hourAgo := now.Add(-time.Hour)
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		if err := adminUserCounts(ctx, tx, &st, hourAgo); err != nil {
			return err
		}
		var err error
		if st.SessionsByState, err = adminSessionStates(ctx, tx); err != nil {
			return err
		}
		if st.Ingest, err = adminIngest(ctx, tx, now); err != nil {
			return err
		}
		st.Webhooks, err = adminWebhookLag(ctx, tx, now, hourAgo)
		return err
	})
	if err != nil {
		return juta.AdminStats{}, dbError(err, "admin stats")
	}
	return st, nil
}

func adminUserCounts(ctx context.Context, tx pgx.Tx, st *juta.AdminStats, since time.Time) error {
	u := &st.Users
	err := tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE disabled_at IS NOT NULL),
			(SELECT count(DISTINCT user_id) FROM messages WHERE stored_at >= $1)
		FROM users`, since).Scan(&u.Total, &u.Disabled, &u.Active)
	if err != nil {
		return fmt.Errorf("user counts: %w", err)
	}
	u.Resting = max(u.Total-u.Disabled-u.Active, 0)
	return nil
}

func adminSessionStates(ctx context.Context, tx pgx.Tx) ([]juta.StateCount, error) {
	rows, err := tx.Query(ctx, `SELECT state, count(*) FROM wa_sessions GROUP BY state ORDER BY state`)
	if err != nil {
		return nil, fmt.Errorf("sessions by state: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.StateCount, error) {
		var c juta.StateCount
		return c, r.Scan(&c.State, &c.Count)
	})
	if out == nil {
		out = []juta.StateCount{}
	}
	return out, err
}

// adminIngest counts stored messages per minute; the last bucket is the
// current minute.
func adminIngest(ctx context.Context, tx pgx.Tx, now time.Time) (juta.AdminIngest, error) {
	in := juta.AdminIngest{PerMinute: make([]int, ingestMinutes)}
	from := now.Truncate(time.Minute).Add(-(ingestMinutes - 1) * time.Minute)
	rows, err := tx.Query(ctx, `SELECT floor(extract(epoch FROM stored_at - $1::timestamptz) / 60)::int, count(*)
		FROM messages WHERE stored_at >= $1 AND stored_at < $2 GROUP BY 1`,
		from, from.Add(ingestMinutes*time.Minute))
	if err != nil {
		return in, fmt.Errorf("ingest: %w", err)
	}
	var i, n int
	_, err = pgx.ForEachRow(rows, []any{&i, &n}, func() error {
		if i >= 0 && i < ingestMinutes {
			in.PerMinute[i] = n
			in.LastHour += n
		}
		return nil
	})
	in.RatePerMinute = float64(in.LastHour) / ingestMinutes
	return in, err
}

// adminWebhookLag reads what waits (events past each webhook's cursor, the
// oldest of them) and how long deliveries took over the last hour.
func adminWebhookLag(ctx context.Context, tx pgx.Tx, now, since time.Time) (juta.AdminWebhookLag, error) {
	var w juta.AdminWebhookLag
	var oldest *time.Time
	err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(greatest(u.event_seq - w.cursor, 0)), 0)::bigint,
			min(e.created_at)
		FROM webhooks w JOIN users u ON u.id = w.user_id
		LEFT JOIN LATERAL (SELECT created_at FROM events e
			WHERE e.user_id = w.user_id AND e.cursor > w.cursor ORDER BY e.cursor LIMIT 1) e ON true`).
		Scan(&w.Webhooks, &w.PendingEvents, &oldest)
	if err != nil {
		return w, fmt.Errorf("webhook backlog: %w", err)
	}
	if oldest != nil {
		w.OldestPendingSeconds = max(now.Sub(*oldest).Seconds(), 0)
	}
	err = tx.QueryRow(ctx, `SELECT count(*),
			coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delay)), 0),
			coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM delay)), 0),
			(SELECT count(*) FROM webhook_deliveries WHERE status = 'dead')
		FROM webhook_delays WHERE delivered_at >= $1`, since).
		Scan(&w.DeliveredLastHour, &w.DelayP50Seconds, &w.DelayP99Seconds, &w.DeadLetters)
	if err != nil {
		return w, fmt.Errorf("webhook delays: %w", err)
	}
	return w, nil
}

// sampleDelay records how long the event at cursor waited before the webhook
// passed it, and drops the webhook's samples older than a day.
func sampleDelay(ctx context.Context, tx pgx.Tx, w juta.Webhook, cursor int64) error {
	_, err := tx.Exec(ctx, `WITH old AS (
			DELETE FROM webhook_delays WHERE webhook_id = $1 AND delivered_at < now() - interval '1 day')
		INSERT INTO webhook_delays (user_id, webhook_id, delay)
		SELECT e.user_id, $1, greatest(clock_timestamp() - e.created_at, interval '0')
		FROM events e WHERE e.user_id = $2 AND e.cursor = $3`, w.ID, w.UserID, cursor)
	if err != nil {
		return fmt.Errorf("webhook delay sample: %w", err)
	}
	return nil
}
