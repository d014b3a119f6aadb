package persistence

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// LocateUser returns uid's live lease with its holder's cluster address,
// placing the user on the least-loaded live node when it has no live lease.
// One round trip while the user is placed, two when it is placed here.
func (db *DB) LocateUser(ctx context.Context, uid juta.UserID, ttl time.Duration) (juta.Lease, string, error) {
	var l juta.Lease
	var addr string
	var live bool
	err := db.pool.QueryRow(ctx, `SELECT l.user_id, l.node, l.incarnation, l.token, l.expires_at, n.addr,
			n.incarnation = l.incarnation AND n.expires_at > now()
		FROM leases l JOIN lease_nodes n ON n.node = l.node
		WHERE l.user_id = $1 AND l.expires_at > now()`, int64(uid)).
		Scan(&l.UserID, &l.Node, &l.Incarnation, &l.Token, &l.ExpiresAt, &addr, &live)
	switch {
	case err == nil && live:
		return l, addr, nil
	case err == nil:
		return juta.Lease{}, "", juta.Errorf(juta.EUNAVAILABLE, "user %d is moving to another node", uid)
	case !errors.Is(err, pgx.ErrNoRows):
		return juta.Lease{}, "", dbError(err, "locate user")
	}
	if ttl <= 0 {
		return juta.Lease{}, "", invalid("lease time to live must be positive")
	}
	err = db.pool.QueryRow(ctx, `SELECT c.user_id, c.node, c.incarnation, c.token, c.expires_at, n.addr
		FROM juta_claim_lease($1, NULL, NULL, $2::bigint * interval '1 millisecond') c
		JOIN lease_nodes n ON n.node = c.node`, int64(uid), ttl.Milliseconds()).
		Scan(&l.UserID, &l.Node, &l.Incarnation, &l.Token, &l.ExpiresAt, &addr)
	if errors.Is(err, pgx.ErrNoRows) {
		// no live node, or another node placed or claimed the user meanwhile
		return juta.Lease{}, "", juta.Errorf(juta.EUNAVAILABLE, "user %d is being placed", uid)
	}
	return l, addr, dbError(err, "place user")
}
