package persistence

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.AdminStore = (*DB)(nil)

// Admin lists page forwards by id with the same opaque cursors as messages.
const (
	defaultAdminLimit = 50
	maxAdminLimit     = 200
)

// AdminSessions lists every session by id with its owner's phone, last
// activity, message counts and, in cluster mode, the node holding the owner's
// live lease. Counts are computed for the page only, from the
// (session_id, id) index. Admin lists span users: they run as the connecting
// role.
func (db *DB) AdminSessions(ctx context.Context, cursor string, limit int) (juta.Page[juta.AdminSession], error) {
	after, err := decodeCursor(cursor)
	if err != nil {
		return juta.Page[juta.AdminSession]{}, err
	}
	limit = clamp(limit, defaultAdminLimit, maxAdminLimit)
	rows, err := db.pool.Query(ctx, `
		SELECT s.id, s.user_id, s.name, coalesce(s.device_jid, ''), s.phone, s.state, s.reason,
		       s.want_connected, s.created_at, s.updated_at, s.connected_at,
		       u.phone, greatest(s.updated_at, m.last_at), coalesce(m.incoming, 0), coalesce(m.outgoing, 0),
		       coalesce(l.node, '')
		FROM wa_sessions s
		JOIN users u ON u.id = s.user_id
		LEFT JOIN leases l ON l.user_id = s.user_id AND l.expires_at > now()
		LEFT JOIN LATERAL (
			SELECT max(stored_at) AS last_at,
			       count(*) FILTER (WHERE NOT from_me) AS incoming,
			       count(*) FILTER (WHERE from_me) AS outgoing
			FROM messages WHERE session_id = s.id
		) m ON true
		WHERE s.id > $1 ORDER BY s.id LIMIT $2`, after, limit+1)
	if err != nil {
		return juta.Page[juta.AdminSession]{}, dbError(err, "admin sessions")
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.AdminSession, error) {
		var a juta.AdminSession
		s := &a.Session
		err := r.Scan(&s.ID, &s.UserID, &s.Name, &s.DeviceJID, &s.Phone, &s.State, &s.Reason,
			&s.WantConnected, &s.CreatedAt, &s.UpdatedAt, &s.ConnectedAt,
			&a.OwnerPhone, &a.LastActivityAt, &a.MessagesIn, &a.MessagesOut, &a.Node)
		a.OwnerID = s.UserID
		return a, err
	})
	if err != nil {
		return juta.Page[juta.AdminSession]{}, dbError(err, "admin sessions")
	}
	return pageOf(items, limit, func(a juta.AdminSession) int64 { return int64(a.ID) }), nil
}

const adminUserColumns = `u.id, u.phone, u.role, u.created_at, u.time_zone, u.prayer_zone, u.country, u.disabled_at,
	(SELECT count(*) FROM wa_sessions s WHERE s.user_id = u.id)`

// AdminUsers lists every account by id with its session count.
func (db *DB) AdminUsers(ctx context.Context, cursor string, limit int) (juta.Page[juta.AdminUser], error) {
	after, err := decodeCursor(cursor)
	if err != nil {
		return juta.Page[juta.AdminUser]{}, err
	}
	limit = clamp(limit, defaultAdminLimit, maxAdminLimit)
	rows, err := db.pool.Query(ctx, `SELECT `+adminUserColumns+` FROM users u
		WHERE u.id > $1 ORDER BY u.id LIMIT $2`, after, limit+1)
	if err != nil {
		return juta.Page[juta.AdminUser]{}, dbError(err, "admin users")
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.AdminUser, error) { return scanAdminUser(r) })
	if err != nil {
		return juta.Page[juta.AdminUser]{}, dbError(err, "admin users")
	}
	return pageOf(items, limit, func(u juta.AdminUser) int64 { return int64(u.ID) }), nil
}

// SetUserDisabled flips the account's disabled mark; disabling revokes every
// refresh family of the user in the same transaction. Disabling an already
// disabled account keeps its first disabled_at.
func (db *DB) SetUserDisabled(ctx context.Context, uid juta.UserID, disabled bool) (juta.AdminUser, error) {
	var u juta.AdminUser
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		var err error
		u, err = scanAdminUser(tx.QueryRow(ctx, `UPDATE users u SET disabled_at =
				CASE WHEN $2 THEN coalesce(u.disabled_at, now()) END
			WHERE u.id = $1 RETURNING `+adminUserColumns, uid, disabled))
		if err != nil || !disabled {
			return err
		}
		return revokeFamilies(ctx, tx, `user_id = $1`, uid)
	})
	return u, dbError(err, "set user disabled")
}

func scanAdminUser(row pgx.Row) (juta.AdminUser, error) {
	var u juta.AdminUser
	err := row.Scan(&u.ID, &u.Phone, &u.Role, &u.CreatedAt, &u.TimeZone, &u.PrayerZone, &u.Country, &u.DisabledAt, &u.Sessions)
	u.Disabled = u.DisabledAt != nil
	return u, err
}
