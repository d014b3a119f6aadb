package persistence_test

import (
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// LocateUser is the cluster's directory: a user held by a live node is
// found there with the node's cluster address; a user held by no one is
// placed on the live node holding the fewest leases; a user whose holder
// stopped being live (it left, or joined again as a new incarnation) is
// moving, and the caller is told to retry.
func TestLocateUserFindsOrPlacesTheHolder(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a, err := db.JoinCluster(ctx, "route-a", "10.0.0.1:7001", juta.ClusterSettings{LeaseTTL: testTTL})
	if err != nil {
		t.Fatal(err)
	}
	busy := mustUser(t, db).ID
	mustClaim(t, db, busy, a, testTTL)
	b, err := db.JoinCluster(ctx, "route-b", "10.0.0.2:7002", juta.ClusterSettings{LeaseTTL: testTTL})
	if err != nil {
		t.Fatal(err)
	}

	l, addr, err := db.LocateUser(ctx, busy, testTTL)
	if err != nil || l.Holder != a || addr != "10.0.0.1:7001" {
		t.Fatalf("held user: %+v at %q, %v; want %v at 10.0.0.1:7001", l, addr, err, a)
	}
	free := mustUser(t, db).ID
	l, addr, err = db.LocateUser(ctx, free, testTTL)
	if err != nil || l.Holder != b || addr != "10.0.0.2:7002" {
		t.Fatalf("free user: %+v at %q, %v; want placed on the idle %v", l, addr, err, b)
	}
	if got, err := db.LookupLease(ctx, free); err != nil || got.Token != l.Token {
		t.Fatalf("the placement is the user's lease: %+v, %v", got, err)
	}

	if err := db.LeaveCluster(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.LocateUser(ctx, busy, testTTL); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("user of a node that left: %v, want %s", err, juta.EUNAVAILABLE)
	}
}
