package persistence

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// Lock-outs are keyed by login name before anyone is authenticated: they run
// as the connecting role, and login_failures has no row-level security.

// LoginLockedUntil returns when the lock on key ends, zero when not locked.
func (db *DB) LoginLockedUntil(ctx context.Context, key string, now time.Time) (time.Time, error) {
	var until time.Time
	err := db.pool.QueryRow(ctx,
		`SELECT locked_until FROM login_failures WHERE key = $1 AND locked_until > $2`, key, now).Scan(&until)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, nil
	}
	return until, dbError(err, "login lock")
}

// RecordLoginFailure counts one failure. The upsert's row lock, held to the
// end of the transaction, serialises failures on one key from every node.
// Reaching the threshold locks the key for Base * 2^(locks so far), capped at
// Max, and starts counting anew; a key quiet for Forget starts from scratch.
func (db *DB) RecordLoginFailure(ctx context.Context, key string, now time.Time, p juta.LockoutPolicy) (time.Time, error) {
	var until *time.Time
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO login_failures AS l (key, failures, locks, last_failure)
			VALUES ($1, 1, 0, $2)
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN l.last_failure < $2::timestamptz - $3 * interval '1 microsecond' THEN 1 ELSE l.failures + 1 END,
				locks = CASE WHEN l.last_failure < $2::timestamptz - $3 * interval '1 microsecond' THEN 0 ELSE l.locks END,
				last_failure = $2`, key, now, p.Forget.Microseconds())
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			UPDATE login_failures SET
				locks = locks + 1,
				failures = 0,
				locked_until = $2::timestamptz + least($4 * power(2, least(locks, 30)), $5) * interval '1 microsecond'
			WHERE key = $1 AND failures >= $3
			RETURNING locked_until`,
			key, now, p.Threshold, p.Base.Microseconds(), p.Max.Microseconds()).Scan(&until)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil || until == nil {
		return time.Time{}, dbError(err, "record login failure")
	}
	return *until, nil
}

// ClearLoginFailures forgets key's failures.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return dbError(err, "clear login failures")
}
