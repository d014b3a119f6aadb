package actors

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestShedCount(t *testing.T) {
	a, b, c, d := juta.Holder{Node: "a", Incarnation: 1}, juta.Holder{Node: "b", Incarnation: 2},
		juta.Holder{Node: "c", Incarnation: 3}, juta.Holder{Node: "d", Incarnation: 4}
	loads := func(n ...int) []juta.NodeLoad {
		var out []juta.NodeLoad
		for i, h := range []juta.Holder{a, b, c, d}[:len(n)] {
			out = append(out, juta.NodeLoad{Holder: h, Leases: n[i]})
		}
		return out
	}
	for _, tt := range []struct {
		loads []juta.NodeLoad
		me    juta.Holder
		want  int
	}{
		{loads(20, 20, 20, 0), a, 5},                              // a fourth node joined: down to the mean
		{loads(20, 20, 20, 0), d, 0},                              // the new node sheds nothing
		{loads(16, 15, 15, 14), a, 1},                             // two apart: one moves
		{loads(16, 16, 15, 14), a, 0},                             // 61 users: 16 is the mean rounded up
		{loads(15, 14), a, 0},                                     // one apart is even
		{loads(30), a, 0},                                         // alone
		{loads(20, 0), juta.Holder{Node: "a", Incarnation: 9}, 0}, // not live (an old incarnation)
		{loads(3, 0), a, 1},
	} {
		if got := shedCount(tt.loads, tt.me); got != tt.want {
			t.Errorf("shedCount(%v, %s) = %d, want %d", tt.loads, tt.me.Node, got, tt.want)
		}
	}
}

// A node that joins a cluster whose users all live on one node gets its
// share: the loaded node hands users over (passivated, lease released),
// the sweepers place them on the new node, where their sessions connect
// again with their stored devices; no node ends above 1.3x the mean.
func TestClusterJoinRebalances(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Config{})
	h.stopRuntime(h.rt, h.system)
	const ttl = 3 * time.Second
	a := h.startClusterNode("a", ttl)
	h.rt = a.rt
	const users = 6
	type linked struct {
		uid juta.UserID
		sid juta.SessionID
	}
	var all []linked
	for range users {
		uid := h.user()
		all = append(all, linked{uid, h.link(uid, newPhone()).ID})
	}
	b := h.startClusterNode("b", ttl)
	nodes := map[string]*clusterNode{"a": a, "b": b}
	holders := func() map[string]int {
		n := map[string]int{}
		for _, u := range all {
			if l, err := h.db.LookupLease(ctxT(), u.uid); err == nil {
				n[l.Node]++
			}
		}
		return n
	}
	pgtest.EventuallyWithin(t, 10*ttl, "both nodes to hold three users", func() bool {
		n := holders()
		return n["a"] == users/2 && n["b"] == users/2
	})
	for _, u := range all {
		eventually(t, fmt.Sprintf("session %d connected on its holder", u.sid), func() bool {
			l, err := h.db.LookupLease(ctxT(), u.uid)
			return err == nil && nodes[l.Node].state(u.uid, u.sid) == juta.StateConnected
		})
	}
	if st := h.sim.Stats(); st.MaxConnectionsPerDevice != 1 || st.StaleTokenConnects != 0 {
		t.Fatalf("simulator stats after the hand-over: %+v", st)
	}
}

// A user this node handed over is placed on the least-loaded node as soon
// as its lease is released, and this node does not claim it back (a request
// that reaches it meanwhile is answered 503), unless placement gives it
// back.
func TestShedUserIsPlacedElsewhereNotClaimedBack(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	const ttl = 30 * time.Second
	b := startKeeper(t, db, "b", ttl)
	// a runs no renewals: its clock is moved on by hand instead.
	ha, err := db.JoinCluster(ctxT(), "a", "127.0.0.1:0", juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	var later atomic.Int64
	a := &keeperNode{keeper: NewLeaseKeeper(db, ha, ttl, 0, quietLog())}
	a.keeper.now = func() time.Time { return time.Now().Add(time.Duration(later.Load())) }
	u, err := db.CreateUser(ctxT(), newPhone(), "x", "user")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.keeper.Acquire(ctxT(), u.ID); err != nil {
		t.Fatal(err)
	}
	if got := a.keeper.shed(5); len(got) != 0 {
		t.Fatalf("shed %v: a user just taken is not handed over", got)
	}
	later.Store(int64(ttl / 2))
	if got := a.keeper.shed(5); len(got) != 1 || got[0] != u.ID {
		t.Fatalf("shed = %v, want [%d]", got, u.ID)
	}
	for range 2 { // a stays the busier node
		v, err := db.CreateUser(ctxT(), newPhone(), "x", "user")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.keeper.Acquire(ctxT(), v.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.keeper.Release(ctxT(), u.ID); err != nil {
		t.Fatal(err)
	}
	l, err := db.LookupLease(ctxT(), u.ID)
	if err != nil || l.Holder != b.keeper.Holder() {
		t.Fatalf("lease after the hand-over: %+v, %v; want b's", l, err)
	}
	if err := db.ReleaseLease(ctxT(), u.ID, l.Token); err != nil { // b gives it up again
		t.Fatal(err)
	}
	_, err = a.keeper.Acquire(ctxT(), u.ID)
	if juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("a claims the user it handed over: %v, want unavailable", err)
	}
	if _, err := db.LookupLease(ctxT(), u.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("the refused claim took the lease: %v", err)
	}
	// Placement may give the user back: then a takes it.
	if _, err := db.ClaimLease(ctxT(), u.ID, a.keeper.Holder(), ttl); err != nil {
		t.Fatal(err)
	}
	if _, err := a.keeper.Acquire(ctxT(), u.ID); err != nil {
		t.Fatalf("a's claim of a user placed on it again: %v", err)
	}
}
