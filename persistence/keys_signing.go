package persistence

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.SigningKeyStore = (*DB)(nil)

// Signing keys belong to the deployment, not to a user: they run as the
// connecting role, and juta_app has no grant on signing_keys.

// SigningKeys returns the keys that verify at now, newest first.
func (db *DB) SigningKeys(ctx context.Context, now time.Time) ([]juta.SigningKey, error) {
	return signingKeys(ctx, db.pool, now)
}

// AddSigningKey stores k as the newest key and retires the others at now+grace
// (keeping an earlier retirement), in one transaction.
func (db *DB) AddSigningKey(ctx context.Context, k juta.SigningKey, now time.Time, grace time.Duration) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE signing_keys SET retires_at = least(coalesce(retires_at, 'infinity'), $1)`,
			now.Add(grace)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO signing_keys (kid, secret, created_at) VALUES ($1, $2, $3)`,
			k.KID, k.Secret, now)
		return err
	})
	return dbError(err, "add signing key")
}

// EnsureSigningKey stores k unless some key verifies at now. A transaction
// advisory lock makes nodes starting together agree on a single first key.
func (db *DB) EnsureSigningKey(ctx context.Context, k juta.SigningKey, now time.Time) ([]juta.SigningKey, error) {
	var keys []juta.SigningKey
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, signingKeyLockKey); err != nil {
			return err
		}
		var err error
		if keys, err = signingKeys(ctx, tx, now); err != nil || len(keys) > 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO signing_keys (kid, secret, created_at) VALUES ($1, $2, $3)`,
			k.KID, k.Secret, now); err != nil {
			return err
		}
		keys, err = signingKeys(ctx, tx, now)
		return err
	})
	return keys, dbError(err, "ensure signing key")
}

// signingKeyLockKey serialises first-key creation ("jkey" in ASCII).
const signingKeyLockKey int64 = 0x6a6b6579

type signingQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func signingKeys(ctx context.Context, q signingQuerier, now time.Time) ([]juta.SigningKey, error) {
	rows, err := q.Query(ctx, `SELECT kid, secret, created_at, retires_at FROM signing_keys
		WHERE retires_at IS NULL OR retires_at > $1 ORDER BY created_at DESC, kid DESC`, now)
	if err != nil {
		return nil, dbError(err, "signing keys")
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.SigningKey, error) {
		var k juta.SigningKey
		err := r.Scan(&k.KID, &k.Secret, &k.CreatedAt, &k.RetiresAt)
		return k, err
	})
	return keys, dbError(err, "signing keys")
}
