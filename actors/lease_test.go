package actors

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// stallableLeases is a real lease store whose renewals can be made to hang,
// as they do for a node cut off from the database or paused.
type stallableLeases struct {
	juta.LeaseStore
	stalled atomic.Bool
	renews  atomic.Int64
	stalls  atomic.Int64 // renewals that hung until their deadline
}

func (s *stallableLeases) RenewLeases(ctx context.Context, h juta.Holder, ttl time.Duration) ([]juta.Lease, error) {
	if s.stalled.Load() {
		<-ctx.Done()
		s.stalls.Add(1)
		return nil, ctx.Err()
	}
	s.renews.Add(1)
	return s.LeaseStore.RenewLeases(ctx, h, ttl)
}

func (s *stallableLeases) JoinCluster(ctx context.Context, node, addr string, cs juta.ClusterSettings) (juta.Holder, error) {
	if s.stalled.Load() {
		<-ctx.Done()
		return juta.Holder{}, ctx.Err()
	}
	return s.LeaseStore.JoinCluster(ctx, node, addr, cs)
}

type keeperNode struct {
	keeper *LeaseKeeper
	store  *stallableLeases
	mu     sync.Mutex
	lost   []juta.UserID
	gained []juta.UserID
}

func (n *keeperNode) lostUsers() []juta.UserID {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]juta.UserID(nil), n.lost...)
}

func (n *keeperNode) gainedUsers() []juta.UserID {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]juta.UserID(nil), n.gained...)
}

// startKeeper joins node to the cluster on db and runs its keeper until the
// test ends.
// heldUser is a new user whose lease k holds.
func heldUser(t *testing.T, db *persistence.DB, k *keeperNode) juta.User {
	t.Helper()
	u, err := db.CreateUser(ctxT(), newPhone(), "h", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.keeper.Acquire(ctxT(), u.ID); err != nil {
		t.Fatal(err)
	}
	return u
}

func startKeeper(t *testing.T, db *persistence.DB, node string, ttl time.Duration) *keeperNode {
	t.Helper()
	h, err := db.JoinCluster(context.Background(), node, "127.0.0.1:0", juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	n := &keeperNode{store: &stallableLeases{LeaseStore: db}}
	n.keeper = NewLeaseKeeper(n.store, h, ttl, 0, quietLog())
	n.keeper.OnLost = func(uid juta.UserID) { n.mu.Lock(); n.lost = append(n.lost, uid); n.mu.Unlock() }
	n.keeper.OnGained = func(uid juta.UserID) { n.mu.Lock(); n.gained = append(n.gained, uid); n.mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); n.keeper.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return n
}

// A renewing node keeps its users across many TTLs; when its renewals stall
// it disconnects its clients itself before the database frees the user, and
// another node then takes the user over while the stalled node's writes are
// refused.
func TestLeaseKeeperRenewsThenLetsGoWhenStalled(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	const ttl = 1500 * time.Millisecond
	a, b := startKeeper(t, db, "a", ttl), startKeeper(t, db, "b", ttl)
	u, err := db.CreateUser(ctxT(), newPhone(), "h", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.CreateSession(ctxT(), u.ID, "s")
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.keeper.Acquire(ctxT(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var disconnected atomic.Int64
	if _, ok := a.keeper.Track(u.ID, func() { disconnected.Add(1) }); !ok {
		t.Fatal("a does not trust the lease it just took")
	}
	if _, ok := b.keeper.Track(u.ID, func() {}); ok {
		t.Fatal("b may track a client of a user it does not hold")
	}

	// Several renewals (each TTL/3) go by: a keeps the user, b cannot take it.
	start := a.store.renews.Load()
	eventually(t, "six renewals", func() bool { return a.store.renews.Load() >= start+6 })
	if _, err := b.keeper.Acquire(ctxT(), u.ID); juta.ErrorCode(err) != juta.ECONFLICT {
		t.Fatalf("b claimed a renewed lease: %v", err)
	}
	if got, ok := a.keeper.Token(u.ID); !ok || got != token || disconnected.Load() != 0 || len(a.lostUsers()) != 0 {
		t.Fatalf("a after renewals: token %d %v, %d disconnects, lost %v", got, ok, disconnected.Load(), a.lostUsers())
	}
	write := func(ctx context.Context, name string) error {
		_, _, err := db.UpdateSession(ctx, u.ID, s.ID, juta.SessionUpdate{Name: &name})
		return err
	}
	if err := write(a.keeper.Fence(ctxT(), u.ID), "a"); err != nil {
		t.Fatalf("a's fenced write while holding: %v", err)
	}

	a.store.stalled.Store(true)
	eventually(t, "a to give the user up", func() bool { return len(a.lostUsers()) == 1 })
	if disconnected.Load() != 1 {
		t.Fatalf("a's client disconnected %d times, want 1", disconnected.Load())
	}
	if _, ok := a.keeper.Token(u.ID); ok {
		t.Fatal("a still trusts a lost lease")
	}
	eventually(t, "b to take the user", func() bool {
		_, err := b.keeper.Acquire(ctxT(), u.ID)
		return err == nil
	})
	if err := write(a.keeper.Fence(ctxT(), u.ID), "stale"); !errors.Is(err, juta.ErrStaleLease) {
		t.Fatalf("a's write after losing the lease: %v", err)
	}
	if err := write(b.keeper.Fence(ctxT(), u.ID), "b"); err != nil {
		t.Fatalf("b's fenced write: %v", err)
	}
	// Unstalled, a joins again as a new incarnation (the cluster saw it
	// die), its renewals do not bring the user back, and new users can be
	// placed on it again.
	before := a.keeper.Holder()
	a.store.stalled.Store(false)
	after := a.store.renews.Load()
	eventually(t, "a to renew again", func() bool { return a.store.renews.Load() >= after+2 })
	if now := a.keeper.Holder(); now.Incarnation <= before.Incarnation {
		t.Fatalf("a's incarnation %d after the stall, %d before", now.Incarnation, before.Incarnation)
	}
	if _, ok := a.keeper.Token(u.ID); ok || len(a.gainedUsers()) != 0 {
		t.Fatalf("a regained the user: gained %v", a.gainedUsers())
	}
	v, err := db.CreateUser(ctxT(), newPhone(), "h", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if l, err := db.PlaceLease(ctxT(), v.ID, ttl); err != nil || l.Holder != a.keeper.Holder() {
		t.Fatalf("placed on %+v (%v), want the rejoined, idle a", l.Holder, err)
	}
}

// A user placed on a node by someone else (a sweeper) is picked up by that
// node's next renewal; a released user can be claimed at once.
func TestLeaseKeeperGainsPlacedUsersAndReleases(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	const ttl = 3 * time.Second
	a := startKeeper(t, db, "a", ttl)
	u, err := db.CreateUser(ctxT(), newPhone(), "h", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	l, err := db.PlaceLease(ctxT(), u.ID, ttl)
	if err != nil || l.Holder != a.keeper.Holder() {
		t.Fatalf("place = %+v, %v", l, err)
	}
	eventually(t, "a to pick the user up", func() bool { return len(a.gainedUsers()) == 1 })
	if got, ok := a.keeper.Token(u.ID); !ok || got != l.Token {
		t.Fatalf("a's token %d %v, placed %d", got, ok, l.Token)
	}
	if err := a.keeper.Release(ctxT(), u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LookupLease(ctxT(), u.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("lease after release: %v", err)
	}
	if _, ok := a.keeper.Token(u.ID); ok {
		t.Fatal("a trusts a released lease")
	}
}
