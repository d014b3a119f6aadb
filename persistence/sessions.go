package persistence

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

const sessionColumns = `id, user_id, name, coalesce(device_jid, ''), phone, state, reason,
	want_connected, created_at, updated_at, connected_at, last_error, ` + alwaysOnColumn

// alwaysOnColumn is the session's effective live-delivery policy: its own
// setting, or by default on when its owner has a webhook that covers it (a
// webhook consumer wants messages as they come, not at the next wake-up).
const alwaysOnColumn = `coalesce(always_on, EXISTS (SELECT 1 FROM webhooks w
	WHERE w.user_id = wa_sessions.user_id AND (w.session_id IS NULL OR w.session_id = wa_sessions.id)))`

// CreateSession stores a new session in state "new". ENOTFOUND when the user
// does not exist.
func (db *DB) CreateSession(ctx context.Context, uid juta.UserID, name string) (juta.Session, error) {
	s, err := userRow(ctx, db, uid, scanSession,
		`INSERT INTO wa_sessions (user_id, name) VALUES ($1, $2) RETURNING `+sessionColumns, uid, name)
	return s, dbError(err, "create session")
}

// Session returns the user's session. ENOTFOUND when absent or another user's.
func (db *DB) Session(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	s, err := userRow(ctx, db, uid, scanSession,
		`SELECT `+sessionColumns+` FROM wa_sessions WHERE id = $1 AND user_id = $2`, sid, uid)
	return s, dbError(err, "session")
}

// Sessions lists the user's sessions, oldest first.
func (db *DB) Sessions(ctx context.Context, uid juta.UserID) ([]juta.Session, error) {
	list, err := userRows(ctx, db, uid, collectSession,
		`SELECT `+sessionColumns+` FROM wa_sessions WHERE user_id = $1 ORDER BY id`, uid)
	return list, dbError(err, "list sessions")
}

// SessionsToReconnect lists, across users, the sessions that have a device and
// WantConnected, oldest first. A system path: it runs as the connecting role.
func (db *DB) SessionsToReconnect(ctx context.Context) ([]juta.Session, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+sessionColumns+` FROM wa_sessions
		WHERE want_connected AND device_jid IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, dbError(err, "list sessions to reconnect")
	}
	list, err := pgx.CollectRows(rows, collectSession)
	return list, dbError(err, "list sessions to reconnect")
}

// UpdateSession applies u and appends a session.state event (data: the
// session as JSON) in the same transaction. ENOTFOUND when the session is
// absent or another user's, EINVALID for an unknown state, ECONFLICT when the
// device JID belongs to another session.
func (db *DB) UpdateSession(ctx context.Context, uid juta.UserID, sid juta.SessionID, u juta.SessionUpdate) (juta.Session, juta.Event, error) {
	if u.State != "" && !validState(u.State) {
		return juta.Session{}, juta.Event{}, invalid("unknown session state %q", u.State)
	}
	var s juta.Session
	var ev juta.Event
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		var err error
		if s, err = updateSession(ctx, tx, uid, sid, u); err != nil {
			return err
		}
		data, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("encode session: %w", err)
		}
		ev, err = appendEvents(ctx, tx, uid, sid, juta.EventSessionState, data)
		return err
	})
	if err != nil {
		return juta.Session{}, juta.Event{}, dbError(err, "update session")
	}
	return s, ev, nil
}

// updateSession writes u; connected_at moves only on a transition into
// "connected", so it tells when the current connection began.
func updateSession(ctx context.Context, tx pgx.Tx, uid juta.UserID, sid juta.SessionID, u juta.SessionUpdate) (juta.Session, error) {
	row := tx.QueryRow(ctx, `UPDATE wa_sessions SET
			state          = coalesce(nullif($3, ''), state),
			reason         = CASE WHEN $3 = '' THEN reason ELSE $4 END,
			last_error     = CASE WHEN $3 = '' THEN last_error ELSE left($11, 500) END,
			device_jid     = CASE WHEN $5 THEN nullif($6, '') ELSE device_jid END,
			phone          = CASE WHEN $7 THEN $8 ELSE phone END,
			want_connected = coalesce($9, want_connected),
			name           = coalesce($10, name),
			always_on      = coalesce($12, always_on),
			connected_at   = CASE WHEN $3 = 'connected' AND state <> 'connected' THEN now() ELSE connected_at END,
			updated_at     = now()
		WHERE id = $1 AND user_id = $2
		RETURNING `+sessionColumns,
		sid, uid, string(u.State), u.Reason,
		u.DeviceJID != nil, deref(u.DeviceJID), u.Phone != nil, deref(u.Phone), u.WantConnected, u.Name, u.LastError, u.AlwaysOn)
	return scanSession(row)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func validState(s juta.SessionState) bool {
	switch s {
	case juta.StateNew, juta.StateQR, juta.StatePairing, juta.StateConnected,
		juta.StateDisconnected, juta.StateLoggedOut, juta.StateFailed, juta.StateStopped:
		return true
	}
	return false
}

func collectSession(row pgx.CollectableRow) (juta.Session, error) { return scanSession(row) }

func scanSession(row pgx.Row) (juta.Session, error) {
	var s juta.Session
	var state string
	err := row.Scan(&s.ID, &s.UserID, &s.Name, &s.DeviceJID, &s.Phone, &state, &s.Reason,
		&s.WantConnected, &s.CreatedAt, &s.UpdatedAt, &s.ConnectedAt, &s.LastError, &s.AlwaysOn)
	s.State = juta.SessionState(state)
	return s, err
}
