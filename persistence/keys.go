package persistence

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.APIKeyStore = (*DB)(nil)

const apiKeyColumns = `k.id, k.user_id, k.name, k.prefix, k.scopes, coalesce(k.session_id, 0), k.created_at, k.last_used_at`

// CreateAPIKey stores k with the hash of its secret. ENOTFOUND when k names a
// session that is not the user's (the composite foreign key says so).
func (db *DB) CreateAPIKey(ctx context.Context, k juta.APIKey, hash []byte) (juta.APIKey, error) {
	var sid *juta.SessionID
	if k.SessionID != 0 {
		sid = &k.SessionID
	}
	out, err := userRow(ctx, db, k.UserID, scanAPIKey, `
		INSERT INTO api_keys AS k (user_id, name, prefix, hash, scopes, session_id)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+apiKeyColumns,
		k.UserID, k.Name, k.Prefix, hash, k.Scopes, sid)
	return out, dbError(err, "create api key")
}

// APIKeys lists the user's live keys, oldest first.
func (db *DB) APIKeys(ctx context.Context, uid juta.UserID) ([]juta.APIKey, error) {
	list, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.APIKey, error) { return scanAPIKey(r) },
		`SELECT `+apiKeyColumns+` FROM api_keys k WHERE k.user_id = $1 AND k.revoked_at IS NULL ORDER BY k.id`, uid)
	return list, dbError(err, "list api keys")
}

// RevokeAPIKey revokes one of the user's live keys. ENOTFOUND otherwise.
func (db *DB) RevokeAPIKey(ctx context.Context, uid juta.UserID, id int64) error {
	tag, err := db.userExec(ctx, uid, `UPDATE api_keys SET revoked_at = now()
		WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, uid)
	if err != nil {
		return dbError(err, "revoke api key")
	}
	if tag.RowsAffected() == 0 {
		return notFound("api key not found")
	}
	return nil
}

// APIKeyByHash returns the live key and its owner in one round trip. It
// authenticates, so it runs as the connecting role.
func (db *DB) APIKeyByHash(ctx context.Context, hash []byte) (juta.APIKey, juta.Account, error) {
	var k juta.APIKey
	var a juta.Account
	err := db.pool.QueryRow(ctx, `SELECT `+apiKeyColumns+`,
			u.id, u.phone, u.role, u.created_at, u.disabled_at IS NOT NULL
		FROM api_keys k JOIN users u ON u.id = k.user_id
		WHERE k.hash = $1 AND k.revoked_at IS NULL`, hash).
		Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.Scopes, &k.SessionID, &k.CreatedAt, &k.LastUsedAt,
			&a.ID, &a.Phone, &a.Role, &a.CreatedAt, &a.Disabled)
	if err != nil {
		return juta.APIKey{}, juta.Account{}, dbError(err, "api key")
	}
	return k, a, nil
}

// TouchAPIKeys records that the keys were used at at; it never moves a
// last_used_at backwards. The ids span users: it runs as the connecting role.
func (db *DB) TouchAPIKeys(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $2
		WHERE id = ANY($1) AND (last_used_at IS NULL OR last_used_at < $2)`, ids, at)
	return dbError(err, "touch api keys")
}

func scanAPIKey(row pgx.Row) (juta.APIKey, error) {
	var k juta.APIKey
	err := row.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.Scopes, &k.SessionID, &k.CreatedAt, &k.LastUsedAt)
	return k, err
}
