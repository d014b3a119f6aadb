package persistence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/juta-app/juta"
)

var _ juta.LeaseStore = (*DB)(nil)

// Leases (migration 0013) run as the connecting role: they span users and
// nodes. Every expiry is computed by the database clock; the nodes only ever
// send a time to live.

const leaseColumns = `user_id, node, incarnation, token, expires_at`

func scanLease(row pgx.Row) (juta.Lease, error) {
	var l juta.Lease
	err := row.Scan(&l.UserID, &l.Node, &l.Incarnation, &l.Token, &l.ExpiresAt)
	return l, err
}

// JoinCluster registers node under a new incarnation, unless a live node
// runs with other settings.
func (db *DB) JoinCluster(ctx context.Context, node, addr string, s juta.ClusterSettings) (juta.Holder, error) {
	ttl := s.LeaseTTL
	if node == "" || ttl <= 0 {
		return juta.Holder{}, invalid("joining the cluster needs a node name and a lease time to live")
	}
	var other string
	var o juta.ClusterSettings
	var otherTTL int64
	err := db.pool.QueryRow(ctx, `SELECT node, ttl_ms, send_per_minute, send_burst FROM lease_nodes
		WHERE expires_at > now() AND node <> $1 AND (ttl_ms, send_per_minute, send_burst) <> ($2, $3, $4) LIMIT 1`,
		node, ttl.Milliseconds(), s.SendPerMinute, s.SendBurst).Scan(&other, &otherTTL, &o.SendPerMinute, &o.SendBurst)
	if err == nil {
		o.LeaseTTL = time.Duration(otherTTL) * time.Millisecond
		return juta.Holder{}, invalid("settings (lease time to live %s, sends per minute %d, send burst %d) differ from "+
			"live node %s's (%s, %d, %d): every node must use the same",
			ttl, s.SendPerMinute, s.SendBurst, other, o.LeaseTTL, o.SendPerMinute, o.SendBurst)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return juta.Holder{}, dbError(err, "join cluster")
	}
	h := juta.Holder{Node: node}
	err = db.pool.QueryRow(ctx, `INSERT INTO lease_nodes AS n (node, incarnation, addr, ttl_ms, expires_at, send_per_minute, send_burst)
		VALUES ($1, 1, $2, $3::bigint, now() + $3::bigint * interval '1 millisecond', $4, $5)
		ON CONFLICT (node) DO UPDATE SET incarnation = n.incarnation + 1, addr = excluded.addr,
			ttl_ms = excluded.ttl_ms, expires_at = excluded.expires_at,
			send_per_minute = excluded.send_per_minute, send_burst = excluded.send_burst
		RETURNING incarnation`, node, addr, ttl.Milliseconds(), s.SendPerMinute, s.SendBurst).Scan(&h.Incarnation)
	return h, dbError(err, "join cluster")
}

// LeaveCluster ends h's liveness.
func (db *DB) LeaveCluster(ctx context.Context, h juta.Holder) error {
	_, err := db.pool.Exec(ctx, `UPDATE lease_nodes SET expires_at = least(expires_at, clock_timestamp())
		WHERE node = $1 AND incarnation = $2`, h.Node, h.Incarnation)
	return dbError(err, "leave cluster")
}

// ClaimLease claims uid's lease for h.
func (db *DB) ClaimLease(ctx context.Context, uid juta.UserID, h juta.Holder, ttl time.Duration) (juta.Lease, error) {
	if h.Node == "" {
		return juta.Lease{}, invalid("claiming a lease needs a node")
	}
	return db.claim(ctx, uid, &h, ttl)
}

// PlaceLease claims uid's lease for the least-loaded live node.
func (db *DB) PlaceLease(ctx context.Context, uid juta.UserID, ttl time.Duration) (juta.Lease, error) {
	return db.claim(ctx, uid, nil, ttl)
}

func (db *DB) claim(ctx context.Context, uid juta.UserID, h *juta.Holder, ttl time.Duration) (juta.Lease, error) {
	if ttl <= 0 {
		return juta.Lease{}, invalid("lease time to live must be positive")
	}
	var node *string
	var inc *int64
	if h != nil {
		node, inc = &h.Node, &h.Incarnation
	}
	l, err := scanLease(db.pool.QueryRow(ctx, `SELECT `+leaseColumns+`
		FROM juta_claim_lease($1, $2, $3, $4::bigint * interval '1 millisecond')`, int64(uid), node, inc, ttl.Milliseconds()))
	if errors.Is(err, pgx.ErrNoRows) {
		if h == nil {
			return juta.Lease{}, juta.Errorf(juta.EUNAVAILABLE, "no live node to place user %d on", uid)
		}
		return juta.Lease{}, juta.Errorf(juta.ECONFLICT, "user %d is held by another node", uid)
	}
	return l, dbError(err, "claim lease")
}

// RenewLeases renews h's liveness and its live leases in one statement. The
// leases are locked in user order, the order the ingest writer locks them in.
// Liveness is judged by clock_timestamp(), when the statement reaches each
// row, not by now(), when it began: the statement may wait for row locks
// (and runs the node's update last), and a node that left the cluster or a
// lease released meanwhile ended at a clock_timestamp() later than that
// now(); judged by now() they would look live and be renewed for a TTL more.
// The new expiries still count from now(), the earlier of the two.
func (db *DB) RenewLeases(ctx context.Context, h juta.Holder, ttl time.Duration) ([]juta.Lease, error) {
	if ttl <= 0 {
		return nil, invalid("lease time to live must be positive")
	}
	rows, err := db.pool.Query(ctx, `WITH node AS (
			UPDATE lease_nodes SET expires_at = now() + $3::bigint * interval '1 millisecond'
			WHERE node = $1 AND incarnation = $2 AND expires_at > clock_timestamp()
		), held AS (
			SELECT user_id FROM leases
			WHERE node = $1 AND incarnation = $2 AND expires_at > clock_timestamp()
			ORDER BY user_id FOR NO KEY UPDATE
		)
		UPDATE leases l SET expires_at = now() + $3::bigint * interval '1 millisecond'
		FROM held WHERE l.user_id = held.user_id
		RETURNING l.user_id, l.node, l.incarnation, l.token, l.expires_at`,
		h.Node, h.Incarnation, ttl.Milliseconds())
	if err != nil {
		return nil, dbError(err, "renew leases")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.Lease, error) { return scanLease(r) })
	return list, dbError(err, "renew leases")
}

// ReleaseLease ends uid's lease if token holds it.
func (db *DB) ReleaseLease(ctx context.Context, uid juta.UserID, token int64) error {
	_, err := db.pool.Exec(ctx, `WITH ended AS (
			UPDATE leases SET expires_at = clock_timestamp()
			WHERE user_id = $1 AND token = $2 AND expires_at > clock_timestamp()
			RETURNING user_id, token, expires_at
		)
		UPDATE lease_history h SET to_at = ended.expires_at
		FROM ended WHERE h.user_id = ended.user_id AND h.token = ended.token`, int64(uid), token)
	return dbError(err, "release lease")
}

// LookupLease returns uid's live lease.
func (db *DB) LookupLease(ctx context.Context, uid juta.UserID) (juta.Lease, error) {
	l, err := scanLease(db.pool.QueryRow(ctx, `SELECT `+leaseColumns+` FROM leases
		WHERE user_id = $1 AND expires_at > now()`, int64(uid)))
	if errors.Is(err, pgx.ErrNoRows) {
		return juta.Lease{}, notFound("user %d has no live lease", uid)
	}
	return l, dbError(err, "look up lease")
}

// UsersToPlace lists users with a session that should be online and no live
// lease, oldest users first.
func (db *DB) UsersToPlace(ctx context.Context, limit int) ([]juta.UserID, error) {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT s.user_id FROM wa_sessions s
		WHERE s.want_connected AND s.device_jid IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.user_id = s.user_id AND l.expires_at > now())
		ORDER BY s.user_id LIMIT $1`, limit)
	if err != nil {
		return nil, dbError(err, "list users to place")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[juta.UserID])
	return ids, dbError(err, "list users to place")
}

// NodeLoads lists the live nodes with their addresses and live lease counts.
func (db *DB) NodeLoads(ctx context.Context) ([]juta.NodeLoad, error) {
	rows, err := db.pool.Query(ctx, `SELECT n.node, n.incarnation, n.addr, count(l.user_id)
		FROM lease_nodes n LEFT JOIN leases l
			ON l.node = n.node AND l.incarnation = n.incarnation AND l.expires_at > now()
		WHERE n.expires_at > now()
		GROUP BY n.node, n.incarnation, n.addr ORDER BY n.node`)
	if err != nil {
		return nil, dbError(err, "node loads")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.NodeLoad, error) {
		var l juta.NodeLoad
		err := r.Scan(&l.Node, &l.Incarnation, &l.Addr, &l.Leases)
		return l, err
	})
	return list, dbError(err, "node loads")
}

// pgStaleLease is the SQLSTATE juta_fence raises.
const pgStaleLease = juta.StaleLeaseSQLState

// fenceError turns the fence's refusal into juta.ErrStaleLease and leaves
// any other error as it is.
func fenceError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == pgStaleLease {
		return fmt.Errorf("%s: %w", pe.Message, juta.ErrStaleLease)
	}
	return err
}
