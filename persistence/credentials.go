package persistence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.CredentialStore = (*DB)(nil)

// Account returns the user with its disabled flag. ENOTFOUND.
func (db *DB) Account(ctx context.Context, uid juta.UserID) (juta.Account, error) {
	a, err := userRow(ctx, db, uid, func(row pgx.Row) (juta.Account, error) {
		var a juta.Account
		err := row.Scan(&a.ID, &a.Phone, &a.Role, &a.CreatedAt, &a.TimeZone, &a.PrayerZone, &a.Country, &a.Disabled)
		return a, err
	}, `SELECT `+userColumns+`, disabled_at IS NOT NULL FROM users WHERE id = $1`, uid)
	return a, dbError(err, "account")
}

// CreateRefreshToken starts a new family for uid with its first token.
func (db *DB) CreateRefreshToken(ctx context.Context, uid juta.UserID, hash []byte, expiresAt time.Time) (juta.RefreshToken, error) {
	t := juta.RefreshToken{UserID: uid, ExpiresAt: expiresAt}
	_, err := userRow(ctx, db, uid, func(row pgx.Row) (struct{}, error) {
		return struct{}{}, row.Scan(&t.ID, &t.FamilyID)
	}, `
		WITH f AS (INSERT INTO refresh_families (user_id) VALUES ($1) RETURNING id)
		INSERT INTO refresh_tokens (family_id, user_id, hash, expires_at)
		SELECT f.id, $1, $2, $3 FROM f RETURNING id, family_id`,
		uid, hash, expiresAt)
	return t, dbError(err, "create refresh token")
}

// refreshRow is what rotation needs to know of a presented token.
type refreshRow struct {
	id, family int64
	uid        juta.UserID
	expiresAt  time.Time
	rotated    bool
	revoked    bool
	disabled   bool
}

// RotateRefreshToken retires the presented token and stores its successor. A
// replayed token revokes its family, and that revocation is committed even
// though the call fails. The token names its user, so this runs as the
// connecting role (see rls.go).
func (db *DB) RotateRefreshToken(ctx context.Context, oldHash, newHash []byte, now, expiresAt time.Time) (juta.RefreshToken, error) {
	var out juta.RefreshToken
	var refusal error
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		r, err := lockRefreshToken(ctx, tx, oldHash)
		if errors.Is(err, pgx.ErrNoRows) {
			refusal = errBadRefresh("unknown refresh token")
			return nil
		}
		if err != nil {
			return err
		}
		if r.rotated && !r.revoked {
			refusal = errBadRefresh(fmt.Sprintf("refresh token %d replayed; family %d revoked", r.id, r.family))
			out = juta.RefreshToken{FamilyID: r.family, UserID: r.uid}
			return revokeFamilies(ctx, tx, `id = $1`, r.family)
		}
		if r.rotated || r.revoked || r.disabled || !now.Before(r.expiresAt) {
			refusal = errBadRefresh("refresh token expired, revoked or of a disabled user")
			return nil
		}
		out = juta.RefreshToken{FamilyID: r.family, UserID: r.uid, ExpiresAt: expiresAt}
		if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET rotated_at = $2 WHERE id = $1`, r.id, now); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO refresh_tokens (family_id, user_id, hash, expires_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, r.family, r.uid, newHash, expiresAt).Scan(&out.ID)
	})
	if err != nil {
		return juta.RefreshToken{}, dbError(err, "rotate refresh token")
	}
	if refusal != nil {
		return out, refusal // out names a family the replay revoked, if any
	}
	return out, nil
}

// lockRefreshToken reads the token with its family and owner, locking the
// family row so two rotations of one family are serialised.
func lockRefreshToken(ctx context.Context, tx pgx.Tx, hash []byte) (refreshRow, error) {
	var r refreshRow
	err := tx.QueryRow(ctx, `
		SELECT t.id, t.family_id, t.user_id, t.expires_at, t.rotated_at IS NOT NULL,
		       f.revoked_at IS NOT NULL, u.disabled_at IS NOT NULL
		FROM refresh_tokens t
		JOIN refresh_families f ON f.id = t.family_id
		JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1
		FOR UPDATE OF f, t`, hash).
		Scan(&r.id, &r.family, &r.uid, &r.expiresAt, &r.rotated, &r.revoked, &r.disabled)
	return r, err
}

func errBadRefresh(cause string) error {
	return &juta.Error{Code: juta.EUNAUTHORIZED, Message: "invalid or expired refresh token", Err: errors.New(cause)}
}

// revokeFamilies revokes the live families matching where ($1 is its argument).
func revokeFamilies(ctx context.Context, tx pgx.Tx, where string, args ...any) error {
	_, err := tx.Exec(ctx, `UPDATE refresh_families SET revoked_at = now()
		WHERE revoked_at IS NULL AND `+where, args...)
	return err
}

// RevokeRefreshFamily revokes the family of the token with hash. Looked up by
// hash, it runs as the connecting role.
func (db *DB) RevokeRefreshFamily(ctx context.Context, hash []byte) (juta.UserID, error) {
	var uid juta.UserID
	err := db.pool.QueryRow(ctx, `UPDATE refresh_families SET revoked_at = now()
		WHERE revoked_at IS NULL AND id = (SELECT family_id FROM refresh_tokens WHERE hash = $1)
		RETURNING user_id`, hash).Scan(&uid)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return uid, dbError(err, "revoke refresh family")
}

// FamilyRevoked implements juta.CredentialStore.
func (db *DB) FamilyRevoked(ctx context.Context, uid juta.UserID, family int64) (bool, error) {
	live, err := userRow(ctx, db, uid, func(row pgx.Row) (bool, error) {
		var live bool
		return live, row.Scan(&live)
	}, `SELECT EXISTS (SELECT 1 FROM refresh_families WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL)`, family, uid)
	return !live, dbError(err, "login family")
}

// ChangePassword stores the new hash and revokes the user's other families.
func (db *DB) ChangePassword(ctx context.Context, uid juta.UserID, passwordHash string, keepFamily int64) error {
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, uid, passwordHash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("user not found")
		}
		return revokeFamilies(ctx, tx, `user_id = $1 AND id <> $2`, uid, keepFamily)
	})
	return dbError(err, "change password")
}
