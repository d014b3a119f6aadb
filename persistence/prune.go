package persistence

import (
	"context"
	"time"

	"github.com/juta-app/juta"
)

// Retention of rows nothing reads any more.
const (
	// A rotated or expired refresh token only serves reuse detection, and an
	// expired one is refused anyway: a day after expiry it goes.
	refreshTokenKeep = 24 * time.Hour
	// A family without tokens left, revoked or long expired, names nothing.
	refreshFamilyKeep = 24 * time.Hour
	// A manual redelivery that went through is kept a month for the list.
	deliveredKeep = 30 * 24 * time.Hour
)

// PruneCounts says how many rows one Prune removed.
type PruneCounts struct {
	RefreshTokens, RefreshFamilies, LoginFailures, IdempotencyKeys, Deliveries, WSTickets int64
}

// Prune deletes, across users, the rows no check reads any more: expired
// refresh tokens and their emptied families, login-failure counters quiet for
// longer than the lock-out policy remembers them (anyone can make those, one
// per phone number tried), expired Idempotency-Key claims of users who stopped
// sending (the rest are purged on their next claim), old completed
// redeliveries and expired WebSocket tickets (cluster mode; by the database
// clock, which set their expiry). Every statement is idempotent, so several nodes may prune at
// once. It runs as the connecting role: a system job, like the sweeps.
func (db *DB) Prune(ctx context.Context, now time.Time, lockout juta.LockoutPolicy) (PruneCounts, error) {
	var n PruneCounts
	steps := []struct {
		count *int64
		sql   string
		args  []any
	}{
		{&n.RefreshTokens, `DELETE FROM refresh_tokens WHERE expires_at < $1`, []any{now.Add(-refreshTokenKeep)}},
		{&n.RefreshFamilies, `DELETE FROM refresh_families f
			WHERE coalesce(f.revoked_at, f.created_at) < $1
			  AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)`, []any{now.Add(-refreshFamilyKeep)}},
		{&n.LoginFailures, `DELETE FROM login_failures
			WHERE last_failure < $1 AND (locked_until IS NULL OR locked_until <= $2)`, []any{now.Add(-lockout.Forget), now}},
		{&n.IdempotencyKeys, `DELETE FROM idempotency_keys WHERE expires_at <= $1`, []any{now}},
		{&n.Deliveries, `DELETE FROM webhook_deliveries WHERE status = 'delivered' AND updated_at < $1`, []any{now.Add(-deliveredKeep)}},
		{&n.WSTickets, `DELETE FROM ws_tickets WHERE expires_at <= now()`, nil},
	}
	for _, s := range steps {
		tag, err := db.pool.Exec(ctx, s.sql, s.args...)
		if err != nil {
			return n, dbError(err, "prune")
		}
		*s.count = tag.RowsAffected()
	}
	return n, nil
}
