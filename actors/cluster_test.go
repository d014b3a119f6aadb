package actors

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/whatsapp/sim"
)

// clusterNode is one runtime in cluster mode on the harness's database and
// simulator.
type clusterNode struct {
	rt     *Runtime
	system *actor.ActorSystem
	store  *stallableLeases
	keeper *LeaseKeeper
}

// startClusterNode joins a node to the cluster and starts its runtime and
// lease keeper (in that order: the runtime hooks the keeper's callbacks).
func (h *harness) startClusterNode(name string, ttl time.Duration) *clusterNode {
	h.t.Helper()
	return h.startClusterNodeOn(name, ttl, NewSystem(quietLog()), "127.0.0.1:0")
}

// startClusterNodeAt is startClusterNode recording addr as the node's
// cluster address (nothing listens there: enough to see where requests go).
func (h *harness) startClusterNodeAt(name string, ttl time.Duration, addr string) *clusterNode {
	h.t.Helper()
	return h.startClusterNodeOn(name, ttl, NewSystem(quietLog()), addr)
}

func (h *harness) startClusterNodeOn(name string, ttl time.Duration, system *actor.ActorSystem, addr string) *clusterNode {
	h.t.Helper()
	holder, err := h.db.JoinCluster(context.Background(), name, addr, juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		h.t.Fatal(err)
	}
	n := &clusterNode{store: &stallableLeases{LeaseStore: h.db}, system: system}
	n.keeper = NewLeaseKeeper(n.store, holder, ttl, 0, quietLog())
	deps := Deps{Sessions: h.db, Messages: h.db, Events: h.db, WhatsApp: sim.NewProvider(h.simAdr),
		Leases: n.keeper, Log: quietLog()}
	if h.extra != nil {
		h.extra(&deps)
	}
	n.rt = New(n.system, h.cfg, deps)
	if err := n.rt.Start(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); n.keeper.Run(ctx) }()
	h.t.Cleanup(func() {
		h.stopRuntime(n.rt, n.system)
		cancel()
		<-done
	})
	return n
}

func (n *clusterNode) state(uid juta.UserID, sid juta.SessionID) juta.SessionState {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s, err := n.rt.Session(ctx, uid, sid)
	if err != nil {
		return ""
	}
	return s.State
}

// Two nodes in cluster mode: a linked user lives on the node holding its
// lease. When that node stops renewing (cut off from the database, or
// paused), it disconnects the user's client itself, the other node's
// sweeper takes the user over and reconnects it with its stored device, and
// a message sent to the account after the move is stored exactly once; the
// simulator never sees two live connections of the device.
func TestClusterFailoverMovesUserToLiveNode(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Config{})
	h.stopRuntime(h.rt, h.system) // the single-node runtime only serves linking here
	const ttl = 3 * time.Second   // short, but far above a loaded machine's round trips
	a := h.startClusterNode("a", ttl)

	uid := h.user()
	phone := newPhone()
	h.rt = a.rt
	s := h.link(uid, phone)
	if l, err := h.db.LookupLease(ctxT(), uid); err != nil || l.Node != "a" {
		t.Fatalf("lease after linking on a: %+v, %v", l, err)
	}
	b := h.startClusterNode("b", ttl)

	a.store.stalled.Store(true)
	// No request reaches b: its sweeper alone must take the user over.
	eventually(t, "b to hold the user's lease", func() bool {
		l, err := h.db.LookupLease(ctxT(), uid)
		_, trusted := b.keeper.Token(uid)
		return err == nil && l.Node == "b" && trusted
	})
	eventually(t, "the session connected on b", func() bool { return b.state(uid, s.ID) == juta.StateConnected })
	if _, ok := a.keeper.Token(uid); ok {
		t.Fatal("a still trusts the lease")
	}

	for i := range 5 {
		if _, err := h.sim.SendFromPhone("+60199990077", phone, fmt.Sprintf("after the move %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "five messages stored", func() bool { return len(h.messages(uid, s.ID)) == 5 })
	got := map[string]int{}
	for _, m := range h.messages(uid, s.ID) {
		got[m.Text]++
	}
	for text, n := range got {
		if n != 1 {
			t.Fatalf("%q stored %d times", text, n)
		}
	}
	if st := h.sim.Stats(); st.MaxConnectionsPerDevice != 1 {
		t.Fatalf("a device had %d live connections at once", st.MaxConnectionsPerDevice)
	}
	// The session's wanted state survived the move.
	if got, err := h.db.Session(ctxT(), uid, s.ID); err != nil || !got.WantConnected || got.State != juta.StateConnected {
		t.Fatalf("stored session after failover: %+v, %v", got, err)
	}
}

// Passivation on a drain gives the lease back at once, so another node can
// take the user without waiting for the lease to expire.
func TestClusterDrainReleasesLeases(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Config{})
	h.stopRuntime(h.rt, h.system)
	const ttl = 30 * time.Second // far longer than the test: only a release frees the user
	a := h.startClusterNode("a", ttl)
	uid := h.user()
	h.rt = a.rt
	s := h.link(uid, newPhone())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.rt.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.LookupLease(ctxT(), uid); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("lease after drain: %v", err)
	}
	b := h.startClusterNode("b", ttl)
	eventually(t, "the session connected on b", func() bool { return b.state(uid, s.ID) == juta.StateConnected })
}

// A request for a user no node holds places the user on the live node
// holding the fewest leases, not on the node asked: it goes to that node's
// registry, which activates the user (its start claims the lease). A user
// the node asked holds, or is placed on, is served there.
func TestClusterRequestPlacesUserOnLeastLoadedNode(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Config{})
	h.stopRuntime(h.rt, h.system)
	const ttl = 10 * time.Second
	a := h.startClusterNodeAt("place-a", ttl, "127.0.0.1:7301")
	b := h.startClusterNodeAt("place-b", ttl, "127.0.0.1:7302")
	held := h.user()
	for _, uid := range []juta.UserID{held, h.user()} { // place-a holds two users, place-b none
		if _, err := a.keeper.Acquire(ctxT(), uid); err != nil {
			t.Fatal(err)
		}
	}
	uid := h.user()
	at, err := a.rt.target(ctxT(), int64(uid))
	if err != nil || at.to.GetAddress() != "127.0.0.1:7302" || at.to.GetId() != registryName || at.remoteUntil.IsZero() {
		t.Fatalf("route of a user asked for on place-a: %+v, %v; want place-b's registry", at, err)
	}
	if at, err := b.rt.target(ctxT(), int64(uid)); err != nil || at.to != b.rt.registry {
		t.Fatalf("route on place-b itself: %+v, %v; want its own registry", at, err)
	}
	if at, err := a.rt.target(ctxT(), int64(held)); err != nil || at.to != a.rt.registry {
		t.Fatalf("route of a user place-a holds: %+v, %v; want its own registry", at, err)
	}
}
