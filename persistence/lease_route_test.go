package persistence_test

import (
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// LocateUser is the cluster's directory: a user held by a live node is
// found there with the node's cluster address; a user held by no one is not
// found; a user whose holder stopped being live (it left, or joined again as
// a new incarnation) is moving, and the caller is told to retry and when its lease ends.
func TestLocateUserFindsTheHolder(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a, err := db.JoinCluster(ctx, "route-a", "10.0.0.1:7001", juta.ClusterSettings{LeaseTTL: testTTL})
	if err != nil {
		t.Fatal(err)
	}
	held := mustUser(t, db).ID
	mustClaim(t, db, held, a, testTTL)

	l, addr, err := db.LocateUser(ctx, held)
	if err != nil || l.Holder != a || addr != "10.0.0.1:7001" {
		t.Fatalf("held user: %+v at %q, %v; want %v at 10.0.0.1:7001", l, addr, err, a)
	}
	free := mustUser(t, db).ID
	if _, _, err := db.LocateUser(ctx, free); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("user held by no one: %v, want %s", err, juta.ENOTFOUND)
	}
	if err := db.LeaveCluster(ctx, a); err != nil {
		t.Fatal(err)
	}
	moving, _, err := db.LocateUser(ctx, held)
	if juta.ErrorCode(err) != juta.EUNAVAILABLE || moving.Holder != a || !moving.ExpiresAt.Equal(l.ExpiresAt) {
		t.Fatalf("user of a node that left: %+v, %v; want %s with its lease %+v", moving, err, juta.EUNAVAILABLE, l)
	}
}
