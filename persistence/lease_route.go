package persistence

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// LocateUser returns uid's live lease with its holder's cluster address.
// One round trip. While the user moves (its holder is no longer live) the
// lease comes with the EUNAVAILABLE error: it says when the user is free.
func (db *DB) LocateUser(ctx context.Context, uid juta.UserID) (juta.Lease, string, error) {
	var l juta.Lease
	var addr string
	var live bool
	err := db.pool.QueryRow(ctx, `SELECT l.user_id, l.node, l.incarnation, l.token, l.expires_at, n.addr,
			n.incarnation = l.incarnation AND n.expires_at > now()
		FROM leases l JOIN lease_nodes n ON n.node = l.node
		WHERE l.user_id = $1 AND l.expires_at > now()`, int64(uid)).
		Scan(&l.UserID, &l.Node, &l.Incarnation, &l.Token, &l.ExpiresAt, &addr, &live)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return juta.Lease{}, "", notFound("user %d has no live lease", uid)
	case err != nil:
		return juta.Lease{}, "", dbError(err, "locate user")
	case !live:
		return l, "", juta.Errorf(juta.EUNAVAILABLE, "user %d is moving to another node", uid)
	}
	return l, addr, nil
}
