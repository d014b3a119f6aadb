package actors

import (
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// A node that left the cluster (it drains) keeps renewing the leases of its
// users still stopping, but a stall past what it may trust does not make it
// join again: it stays out of placement.
func TestLeaseKeeperThatLeftNeverJoinsAgain(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	const ttl = 1500 * time.Millisecond
	a, b := startKeeper(t, db, "a", ttl), startKeeper(t, db, "b", ttl)
	u := heldUser(t, db, a)
	before := a.keeper.Holder()
	if err := a.keeper.Leave(ctxT()); err != nil {
		t.Fatal(err)
	}
	start := a.store.renews.Load()
	eventually(t, "a renewal after leaving", func() bool { return a.store.renews.Load() > start })
	if _, ok := a.keeper.Token(u.ID); !ok {
		t.Fatal("a stopped trusting the lease of a user it still runs")
	}

	// A renewal that hangs until its deadline: the next one is past the
	// time a node may trust, when a node that had not left joins again.
	a.store.stalled.Store(true)
	eventually(t, "a stalled renewal", func() bool { return a.store.stalls.Load() > 0 })
	a.store.stalled.Store(false)
	after := a.store.renews.Load()
	eventually(t, "a to renew again", func() bool { return a.store.renews.Load() >= after+2 })
	if now := a.keeper.Holder(); now != before {
		t.Fatalf("a joined the cluster again after leaving: %+v, was %+v", now, before)
	}
	loads, err := db.NodeLoads(ctxT())
	if err != nil {
		t.Fatal(err)
	}
	if len(loads) != 1 || loads[0].Holder != b.keeper.Holder() {
		t.Fatalf("live nodes: %+v, want b alone", loads)
	}
}
