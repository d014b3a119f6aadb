package actors

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// heldPublisher stands between the stores and the runtime: while holding, it
// keeps what the stores publish; release hands it to the runtime in whatever
// order (with drops and repeats) the test chooses, one event per call, as
// late or racing senders would.
type heldPublisher struct {
	rt   *Runtime
	mu   sync.Mutex
	hold bool
	held []juta.Event
}

func holdEvents(h *harness) *heldPublisher {
	p := &heldPublisher{rt: h.rt, hold: true}
	h.relay.Set(p)
	return p
}

func (p *heldPublisher) Publish(uid juta.UserID, evs []juta.Event) {
	p.mu.Lock()
	if p.hold {
		p.held = append(p.held, evs...)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	p.rt.Publish(uid, evs)
}

// release stops holding and delivers reorder(held).
func (p *heldPublisher) release(reorder func([]juta.Event) []juta.Event) {
	p.mu.Lock()
	evs := reorder(p.held)
	p.held, p.hold = nil, false
	p.mu.Unlock()
	for _, ev := range evs {
		p.rt.Publish(ev.UserID, []juta.Event{ev})
	}
}

// An event that reached the log without a live notice (a commit whose answer
// an outage lost, then a redelivery that found the message stored) is not
// lost to a live subscriber: the next notice shows the gap, and the
// subscription reads it from the log before going on.
func TestSubscriptionFillsAGapFromTheLog(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	sub, err := h.rt.Subscribe(ctxT(), uid, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if _, err := h.sim.SendFromPhone("+60199990041", phone, "before"); err != nil {
		t.Fatal(err)
	}
	before := next(t, sub, juta.EventMessage)

	p := holdEvents(h)
	silent, err := h.db.AppendEvent(ctxT(), uid, s.ID, juta.EventSessionState, []byte(`{"note":"logged, never announced"}`))
	if err != nil {
		t.Fatal(err)
	}
	p.release(func([]juta.Event) []juta.Event { return nil }) // its notice is lost
	if _, err := h.sim.SendFromPhone("+60199990041", phone, "after"); err != nil {
		t.Fatal(err)
	}
	got := next(t, sub, juta.EventSessionState)
	after := next(t, sub, juta.EventMessage)
	if got.Cursor != silent.Cursor || before.Cursor >= got.Cursor || got.Cursor >= after.Cursor {
		t.Fatalf("cursors %d, %d, %d; want %d in the middle", before.Cursor, got.Cursor, after.Cursor, silent.Cursor)
	}
}

// Notices that arrive out of order, twice, or after later ones (detection
// finishing before its message's notice, shares committed concurrently by
// other users, a repeated old notice) still give every subscriber cursors
// 1..N exactly once, in order.
func TestOutOfOrderNoticesReachEverySubscriberOnceInOrder(t *testing.T) {
	h := detectingHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	h.link(uid, phone)
	var subs []juta.Subscription
	for range 3 {
		sub, err := h.rt.Subscribe(ctxT(), uid, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		subs = append(subs, sub)
	}
	p := holdEvents(h)
	const messages, owners = 4, 4
	for i := range messages {
		if _, err := h.sim.SendFromPhone(fmt.Sprintf("+6019999005%d", i), phone, "jumpa esok pukul 3 petang"); err != nil {
			t.Fatal(err)
		}
	}
	me, err := h.db.User(ctxT(), uid)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range owners {
		owner := h.user()
		wg.Go(func() {
			s, err := h.db.CreateSession(context.Background(), owner, "shared")
			if err == nil {
				_, _, err = h.db.ShareSession(context.Background(), owner, s.ID, me.Phone, juta.ShareViewer)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	eventually(t, "every message detected", func() bool { return h.rt.Stats().Detected == messages })
	logged, err := h.db.EventsAfter(ctxT(), uid, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := logged[len(logged)-1].Cursor
	// Latest first, each twice, then the very first cursor once more: every
	// action.created comes before its message, the shares in reverse.
	p.release(func(held []juta.Event) []juta.Event {
		var out []juta.Event
		for _, ev := range slices.Backward(held) {
			out = append(out, ev, ev)
		}
		return append(out, logged[0])
	})
	want := make([]int64, n)
	for i := range want {
		want[i] = int64(i + 1)
	}
	for i, sub := range subs {
		var got []int64
		for len(got) < int(n) {
			got = append(got, nextAny(t, sub).Cursor)
		}
		if !slices.Equal(got, want) {
			t.Errorf("subscriber %d got cursors %v, want 1..%d", i, got, n)
		}
	}
	// Nothing more arrives after N: a repeat would show up as the next event.
	if _, err := h.db.AppendEvent(ctxT(), uid, 0, "test.marker", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	for i, sub := range subs {
		if ev := nextAny(t, sub); ev.Cursor != n+1 {
			t.Errorf("subscriber %d: after %d came cursor %d, want %d", i, n, ev.Cursor, n+1)
		}
	}
}

// nextAny is the subscription's next event, whatever its type.
func nextAny(t *testing.T, sub juta.Subscription) juta.Event {
	t.Helper()
	select {
	case ev, ok := <-sub.Events():
		if !ok {
			t.Fatal("subscription closed")
		}
		return ev
	case <-time.After(15 * time.Second):
		t.Fatal("no event")
	}
	return juta.Event{}
}
