package persistence

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.ShareStore = (*DB)(nil)

// Shares are written for their owner under row-level security; the grantee's
// event is appended in the same transaction under the grantee's id, so a
// share never changes without its grantee's live streams hearing of it.
// Finding the grantee by phone and naming the other party in lists read
// other users' account rows and run as the connecting role (see rls.go),
// filtered by the caller's id.

// ShareSession implements juta.ShareStore.
func (db *DB) ShareSession(ctx context.Context, owner juta.UserID, sid juta.SessionID, phone string, role juta.ShareRole) (juta.Share, juta.Event, error) {
	if role != juta.ShareViewer && role != juta.ShareAgent {
		return juta.Share{}, juta.Event{}, invalid("role must be viewer or agent")
	}
	sh := juta.Share{SessionID: sid, OwnerID: owner, Role: role}
	err := db.pool.QueryRow(ctx, `SELECT id, phone FROM users WHERE phone = $1 AND disabled_at IS NULL`, phone).
		Scan(&sh.UserID, &sh.Phone)
	if err != nil {
		return juta.Share{}, juta.Event{}, dbError(err, "share grantee")
	}
	var ev juta.Event
	err = db.logTx(ctx, owner, func(tx pgx.Tx) error {
		if sh.UserID == owner { // after the session check: another's session stays a 404
			return ownSessionShare(ctx, tx, owner, sid)
		}
		err := tx.QueryRow(ctx, `INSERT INTO session_shares (session_id, owner_id, user_id, role)
			SELECT id, user_id, $3, $4 FROM wa_sessions WHERE id = $1 AND user_id = $2
			ON CONFLICT (session_id, user_id) DO UPDATE SET role = EXCLUDED.role
			RETURNING created_at`, sid, owner, sh.UserID, string(role)).Scan(&sh.CreatedAt)
		if err != nil {
			return err
		}
		ev, err = appendGranteeEvent(ctx, tx, sh, juta.EventShareGranted)
		return err
	})
	if err != nil {
		return juta.Share{}, juta.Event{}, dbError(err, "share session")
	}
	return sh, ev, nil
}

// ownSessionShare is the error of sharing sid with its owner: ENOTFOUND when
// the session is not the owner's, EINVALID otherwise.
func ownSessionShare(ctx context.Context, tx pgx.Tx, owner juta.UserID, sid juta.SessionID) error {
	var owned bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM wa_sessions WHERE id = $1 AND user_id = $2)`,
		sid, owner).Scan(&owned)
	switch {
	case err != nil:
		return err
	case !owned:
		return notFound("session %d not found", sid)
	}
	return invalid("a session cannot be shared with its owner")
}

// appendGranteeEvent switches the transaction's user to the grantee (the
// role stays juta_app) to append to their log, which only they may write.
func appendGranteeEvent(ctx context.Context, tx pgx.Tx, sh juta.Share, typ string) (juta.Event, error) {
	if _, err := tx.Exec(ctx, `SELECT set_config('juta.user_id', $1, true)`, userSetting(sh.UserID)); err != nil {
		return juta.Event{}, err
	}
	// No owner id: accounts' internal ids are not handed to other accounts
	// (the grantee finds the owner's number in its shared-sessions list).
	data, err := json.Marshal(juta.ShareNotice{SessionID: sh.SessionID, Role: sh.Role})
	if err != nil {
		return juta.Event{}, err
	}
	return appendEvents(ctx, tx, sh.UserID, sh.SessionID, typ, data)
}

// Shares implements juta.ShareStore.
func (db *DB) Shares(ctx context.Context, owner juta.UserID, sid juta.SessionID) ([]juta.Share, error) {
	var owned bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM wa_sessions WHERE id = $1 AND user_id = $2)`,
		sid, owner).Scan(&owned)
	if err != nil {
		return nil, dbError(err, "list shares")
	}
	if !owned {
		return nil, notFound("session %d not found", sid)
	}
	rows, err := db.pool.Query(ctx, `SELECT s.session_id, s.owner_id, s.user_id, u.phone, s.role, s.created_at
		FROM session_shares s JOIN users u ON u.id = s.user_id
		WHERE s.session_id = $1 AND s.owner_id = $2 ORDER BY s.created_at, s.user_id`, sid, owner)
	if err != nil {
		return nil, dbError(err, "list shares")
	}
	out, err := pgx.CollectRows(rows, scanShare)
	if out == nil {
		out = []juta.Share{}
	}
	return out, dbError(err, "list shares")
}

func scanShare(r pgx.CollectableRow) (juta.Share, error) {
	var sh juta.Share
	var role string
	err := r.Scan(&sh.SessionID, &sh.OwnerID, &sh.UserID, &sh.Phone, &role, &sh.CreatedAt)
	sh.Role = juta.ShareRole(role)
	return sh, err
}

// RevokeShare implements juta.ShareStore.
func (db *DB) RevokeShare(ctx context.Context, owner juta.UserID, sid juta.SessionID, uid juta.UserID) (juta.Event, error) {
	var ev juta.Event
	err := db.logTx(ctx, owner, func(tx pgx.Tx) error {
		sh := juta.Share{SessionID: sid, OwnerID: owner, UserID: uid}
		tag, err := tx.Exec(ctx, `DELETE FROM session_shares WHERE session_id = $1 AND owner_id = $2 AND user_id = $3`,
			sid, owner, uid)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("share not found")
		}
		ev, err = appendGranteeEvent(ctx, tx, sh, juta.EventShareRevoked)
		return err
	})
	return ev, dbError(err, "revoke share")
}

// SharedWith implements juta.ShareStore.
func (db *DB) SharedWith(ctx context.Context, uid juta.UserID) ([]juta.SharedSession, error) {
	rows, err := db.pool.Query(ctx, `SELECT s.session_id, w.name, s.owner_id, u.phone, s.role, s.created_at
		FROM session_shares s JOIN wa_sessions w ON w.id = s.session_id JOIN users u ON u.id = s.owner_id
		WHERE s.user_id = $1 AND u.disabled_at IS NULL ORDER BY s.created_at, s.session_id`, uid)
	if err != nil {
		return nil, dbError(err, "list shared sessions")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.SharedSession, error) {
		var s juta.SharedSession
		var role string
		err := r.Scan(&s.SessionID, &s.Name, &s.OwnerID, &s.OwnerPhone, &role, &s.CreatedAt)
		s.Role = juta.ShareRole(role)
		return s, err
	})
	if out == nil {
		out = []juta.SharedSession{}
	}
	return out, dbError(err, "list shared sessions")
}

// ShareOf implements juta.ShareStore. It runs on every request a grantee makes
// on a shared session, so it is one statement. It reads the owner's account
// row (a disabled owner's sessions are shared with no one), so it runs as the
// connecting role, filtered by the grantee's id.
func (db *DB) ShareOf(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Share, error) {
	var sh juta.Share
	var role string
	err := db.pool.QueryRow(ctx, `SELECT s.session_id, s.owner_id, s.user_id, s.role, s.created_at
		FROM session_shares s JOIN users u ON u.id = s.owner_id
		WHERE s.session_id = $1 AND s.user_id = $2 AND u.disabled_at IS NULL`, sid, uid).
		Scan(&sh.SessionID, &sh.OwnerID, &sh.UserID, &role, &sh.CreatedAt)
	sh.Role = juta.ShareRole(role)
	return sh, dbError(err, "share")
}
