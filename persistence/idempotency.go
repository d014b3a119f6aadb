package persistence

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.IdempotencyStore = (*DB)(nil)

// ClaimIdempotencyKey claims key for uid unless a live claim exists; see
// juta.IdempotencyStore. Two concurrent claims of one key serialise on its
// primary key: exactly one of them gets claimed=true.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, uid juta.UserID, key string, hash []byte, now, expiresAt time.Time) (juta.IdempotentResult, bool, error) {
	var res juta.IdempotentResult
	claimed := false
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		// Expired claims of this user go first, which also frees key when its
		// own claim has expired; the rest are swept on later claims.
		if _, err := tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND expires_at <= $2`,
			uid, now); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, expires_at, claimed_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING`, uid, key, hash, expiresAt, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			claimed = true
			res = juta.IdempotentResult{RequestHash: hash, ClaimedAt: now, ExpiresAt: expiresAt}
			return nil
		}
		res, err = scanIdempotencyKey(tx.QueryRow(ctx, idempotencyKeySQL, uid, key, now))
		return err
	})
	if err != nil {
		return juta.IdempotentResult{}, false, dbError(err, "claim idempotency key")
	}
	return res, claimed, nil
}

// IdempotencyKey returns the live claim of key; ENOTFOUND when there is none.
func (db *DB) IdempotencyKey(ctx context.Context, uid juta.UserID, key string, now time.Time) (juta.IdempotentResult, error) {
	res, err := userRow(ctx, db, uid, scanIdempotencyKey, idempotencyKeySQL, uid, key, now)
	if err != nil {
		return juta.IdempotentResult{}, dbError(err, "idempotency key")
	}
	return res, nil
}

// idempotencyKeySQL reads a live claim; its arguments are user, key and now.
const idempotencyKeySQL = `SELECT request_hash, status, body, claimed_at, expires_at FROM idempotency_keys
	WHERE user_id = $1 AND key = $2 AND expires_at > $3`

func scanIdempotencyKey(row pgx.Row) (juta.IdempotentResult, error) {
	var res juta.IdempotentResult
	var status *int32
	err := row.Scan(&res.RequestHash, &status, &res.Body, &res.ClaimedAt, &res.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return juta.IdempotentResult{}, notFound("idempotency key not found")
	}
	if err != nil {
		return juta.IdempotentResult{}, err
	}
	if status != nil {
		res.Done, res.Status = true, int(*status)
	}
	return res, nil
}

// CompleteIdempotencyKey records the first response of key's request.
// ENOTFOUND when the claim is gone or already complete.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, uid juta.UserID, key string, status int, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	tag, err := db.userExec(ctx, uid, `UPDATE idempotency_keys SET status = $3, body = $4
		WHERE user_id = $1 AND key = $2 AND status IS NULL`, uid, key, status, body)
	if err != nil {
		return dbError(err, "complete idempotency key")
	}
	if tag.RowsAffected() == 0 {
		return notFound("idempotency key not found")
	}
	return nil
}

// ReleaseIdempotencyKey drops key's claim when it is unfinished; a completed
// claim keeps its response.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, uid juta.UserID, key string) error {
	_, err := db.userExec(ctx, uid, `DELETE FROM idempotency_keys
		WHERE user_id = $1 AND key = $2 AND status IS NULL`, uid, key)
	return dbError(err, "release idempotency key")
}

// AbandonIdempotencyKey gives an unfinished claim made before claimedBefore
// its final answer; the status IS NULL guard makes it and a late Complete
// exclusive.
func (db *DB) AbandonIdempotencyKey(ctx context.Context, uid juta.UserID, key string, claimedBefore time.Time, status int, body []byte) (juta.IdempotentResult, error) {
	if body == nil {
		body = []byte{}
	}
	var res juta.IdempotentResult
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE idempotency_keys SET status = $4, body = $5
			WHERE user_id = $1 AND key = $2 AND status IS NULL AND claimed_at < $3`,
			uid, key, claimedBefore, status, body); err != nil {
			return err
		}
		var err error
		res, err = scanIdempotencyKey(tx.QueryRow(ctx, `SELECT request_hash, status, body, claimed_at, expires_at
			FROM idempotency_keys WHERE user_id = $1 AND key = $2`, uid, key))
		return err
	})
	if err != nil {
		return juta.IdempotentResult{}, dbError(err, "abandon idempotency key")
	}
	return res, nil
}
