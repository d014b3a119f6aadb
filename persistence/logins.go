package persistence

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.LoginStore = (*DB)(nil)

// Logins implements juta.LoginStore: a login is live while its family is not
// revoked and its newest token is neither rotated nor expired.
func (db *DB) Logins(ctx context.Context, uid juta.UserID) ([]juta.Login, error) {
	out, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.Login, error) {
		var l juta.Login
		return l, r.Scan(&l.ID, &l.CreatedAt, &l.LastUsedAt, &l.ExpiresAt, &l.Client, &l.IP)
	}, `SELECT f.id, f.created_at, max(t.created_at), max(t.expires_at), f.client, f.ip
		FROM refresh_families f JOIN refresh_tokens t ON t.family_id = f.id
		WHERE f.user_id = $1 AND f.revoked_at IS NULL
		GROUP BY f.id
		HAVING bool_or(t.rotated_at IS NULL AND t.expires_at > now())
		ORDER BY max(t.created_at) DESC, f.id DESC`, uid)
	if err != nil {
		return nil, dbError(err, "logins")
	}
	if out == nil {
		out = []juta.Login{}
	}
	return out, nil
}

// RevokeLogin implements juta.LoginStore.
func (db *DB) RevokeLogin(ctx context.Context, uid juta.UserID, id int64) error {
	tag, err := db.userExec(ctx, uid, `UPDATE refresh_families SET revoked_at = now()
		WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, uid)
	if err != nil {
		return dbError(err, "revoke login")
	}
	if tag.RowsAffected() == 0 {
		return notFound("login %d not found", id)
	}
	return nil
}

// RevokeOtherLogins implements juta.LoginStore.
func (db *DB) RevokeOtherLogins(ctx context.Context, uid juta.UserID, keep int64) (int, error) {
	tag, err := db.userExec(ctx, uid, `UPDATE refresh_families SET revoked_at = now()
		WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`, uid, keep)
	if err != nil {
		return 0, dbError(err, "revoke other logins")
	}
	return int(tag.RowsAffected()), nil
}

// NoteLoginClient implements juta.LoginStore.
func (db *DB) NoteLoginClient(ctx context.Context, uid juta.UserID, id int64, client, ip string) error {
	if len(client) > 64 || len(ip) > 64 || !juta.StorableText(client) || !juta.StorableText(ip) {
		return invalid("login client and ip must be short text")
	}
	tag, err := db.userExec(ctx, uid, `UPDATE refresh_families SET client = $3, ip = $4
		WHERE id = $1 AND user_id = $2`, id, uid, client, ip)
	if err != nil {
		return dbError(err, "note login client")
	}
	if tag.RowsAffected() == 0 {
		return notFound("login %d not found", id)
	}
	return nil
}
