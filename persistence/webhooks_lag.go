package persistence

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// WebhookLag is how many events are logged but not yet past their webhooks'
// cursors, summed over every webhook (events a webhook's filter skips count
// until the worker passes them). A system path: it spans users, so it runs
// as the connecting role.
func (db *DB) WebhookLag(ctx context.Context) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT coalesce(sum(greatest(u.event_seq - w.cursor, 0)), 0)::bigint
		FROM webhooks w JOIN users u ON u.id = w.user_id`).Scan(&n)
	if err == pgx.ErrNoRows {
		return 0, nil
	}
	return n, dbError(err, "webhook lag")
}
