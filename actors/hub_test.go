package actors

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// cursors reads n events from sub and returns their cursors; fewer if the
// stream ends or stays silent for 15 s. Safe in any goroutine.
func cursors(sub juta.Subscription, n int) []int64 {
	got := make([]int64, 0, n)
	for len(got) < n {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				return got
			}
			got = append(got, ev.Cursor)
		case <-time.After(15 * time.Second):
			return got
		}
	}
	return got
}

func oneTo(n int) []int64 {
	want := make([]int64, n)
	for i := range want {
		want[i] = int64(i + 1)
	}
	return want
}

// subscribeMany opens k subscriptions of uid on node b after cursor after.
func (e *hubEnv) subscribeMany(t *testing.T, uid juta.UserID, k int, after int64) []juta.Subscription {
	t.Helper()
	var subs []juta.Subscription
	for range k {
		sub, err := e.b.rt.Subscribe(ctxT(), uid, after)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sub.Close)
		subs = append(subs, sub)
	}
	return subs
}

// oneFromB waits until node a counts exactly one subscriber, of node b.
func (e *hubEnv) oneFromB(t *testing.T) {
	t.Helper()
	eventually(t, "one subscriber on a, of b", func() bool {
		all, remote := e.a.subscribers()
		return all == 1 && remote == 1
	})
}

// Many sockets on a node that does not hold their user share one
// subscription to the user's actor: the holder counts one subscriber from
// that node, every socket receives cursors 1..N exactly once in order (one
// that reads nothing until the end too, catching up from the log), and the
// last socket leaving ends the subscription on the holder.
func testHubManySockets(t *testing.T, e *hubEnv, uid juta.UserID) {
	const sockets = 8
	subs := e.subscribeMany(t, uid, sockets, 0)
	e.oneFromB(t)
	if st := e.b.rt.Stats(); st.Hubs != 1 {
		t.Fatalf("b keeps %d hubs for one user, want 1", st.Hubs)
	}
	_, remote := e.a.subscribers()
	t.Logf("figure: %d sockets on b, a counts %d subscription(s) of other nodes", sockets, remote)
	// More events than a socket's buffers hold, while the first socket
	// reads nothing: the hub must not wait for it, nor skip it.
	const n = 2*liveBuffer + outBuffer
	e.a.must("append %d %d", uid, n)
	var wg sync.WaitGroup
	for i, sub := range subs[1:] {
		wg.Go(func() {
			if got := cursors(sub, n); !slices.Equal(got, oneTo(n)) {
				t.Errorf("socket %d got cursors %v, want 1..%d", i+1, got, n)
			}
		})
	}
	wg.Wait()
	if got := cursors(subs[0], n); !slices.Equal(got, oneTo(n)) {
		t.Errorf("slow socket got cursors %v, want 1..%d", got, n)
	}
	e.oneFromB(t)
	for _, sub := range subs {
		sub.Close()
	}
	eventually(t, "the subscription on a to end", func() bool { all, _ := e.a.subscribers(); return all == 0 })
	if st := e.b.rt.Stats(); st.Hubs != 0 {
		t.Fatalf("b keeps %d hubs after its last socket left", st.Hubs)
	}
}

// A socket that joins a running hub, live only or from a cursor, gets what
// it asked for exactly once, in order, and no second subscription is made.
func testHubJoiners(t *testing.T, e *hubEnv, uid juta.UserID) {
	first := e.subscribeMany(t, uid, 1, -1)[0]
	e.oneFromB(t)
	e.a.must("append %d %d", uid, 10)
	if got := cursors(first, 10); !slices.Equal(got, oneTo(10)) {
		t.Fatalf("first socket got %v", got)
	}
	live := e.subscribeMany(t, uid, 1, -1)[0]
	from4 := e.subscribeMany(t, uid, 1, 4)[0]
	e.a.must("append %d %d", uid, 5)
	if got := cursors(live, 5); !slices.Equal(got, oneTo(15)[10:]) {
		t.Errorf("live-only socket got %v, want 11..15", got)
	}
	if got := cursors(from4, 11); !slices.Equal(got, oneTo(15)[4:]) {
		t.Errorf("socket after 4 got %v, want 5..15", got)
	}
	e.oneFromB(t)
	for _, sub := range []juta.Subscription{first, live, from4} {
		sub.Close()
	}
	eventually(t, "the subscription on a to end", func() bool { all, _ := e.a.subscribers(); return all == 0 })
}

// When the user moves (its node drains and the user is activated where
// the sockets are) while events are written, the hub subscribes again where
// the user lives now and reads the gap from the log once: every socket
// still receives cursors 1..N exactly once, in order.
func testHubMove(t *testing.T, e *hubEnv, uid juta.UserID) {
	subs := e.subscribeMany(t, uid, 4, 0)
	e.oneFromB(t)
	const before, during, after = 20, 40, 20
	e.a.must("append %d %d", uid, before)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := appendEvents(e.b.db, uid, during); err != nil {
			t.Error(err)
		}
	})
	e.a.must("drain")
	wg.Wait()
	eventually(t, "the user held by b", func() bool {
		l, err := e.b.db.LookupLease(context.Background(), uid)
		return err == nil && l.Node == "hub-b"
	})
	if err := appendEvents(e.b.db, uid, after); err != nil {
		t.Fatal(err)
	}
	const n = before + during + after
	for i, sub := range subs {
		if got := cursors(sub, n); !slices.Equal(got, oneTo(n)) {
			t.Errorf("socket %d got cursors %v, want 1..%d", i, got, n)
		}
	}
	if st := e.b.rt.Stats(); st.Hubs != 1 || st.Subscribers != 1 {
		t.Fatalf("b after the move: %d hubs, %d subscribers of its user actors; want 1 and 1", st.Hubs, st.Subscribers)
	}
}
