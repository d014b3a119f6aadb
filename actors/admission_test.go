package actors

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// gatedSessions blocks loading the sessions of one user until the gate
// opens, which holds that user's actor in its start: its mailbox only fills.
type gatedSessions struct {
	juta.SessionStore
	uid  atomic.Int64
	gate chan struct{}
}

func (g *gatedSessions) Sessions(ctx context.Context, uid juta.UserID) ([]juta.Session, error) {
	if int64(uid) == g.uid.Load() {
		select {
		case <-g.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return g.SessionStore.Sessions(ctx, uid)
}

// A flood of concurrent requests to one blocked user actor: MaxInFlight are
// admitted and wait, every other one is refused at once with 503 unavailable
// and a Retry-After, the admitted ones are answered once the actor is free,
// and the slots are all given back.
func TestFloodedUserActorRefusesBeyondItsBound(t *testing.T) {
	t.Parallel()
	const bound, flood = 8, 100
	gate := &gatedSessions{gate: make(chan struct{})}
	h := newHarnessWith(t, Config{MaxInFlight: bound, RequestTimeout: time.Minute}, func(d *Deps) {
		gate.SessionStore = d.Sessions
		d.Sessions = gate
	})
	uid := h.user()
	gate.uid.Store(int64(uid))
	other := h.user() // another user is not held up by the first one's bound

	var refused, answered, other503 atomic.Int64
	var wg sync.WaitGroup
	for range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.rt.Status(ctxT(), uid)
			var je *juta.Error
			switch {
			case err == nil:
				answered.Add(1)
			case errors.As(err, &je) && je.Code == juta.EUNAVAILABLE && je.RetryAfter > 0:
				refused.Add(1)
			default:
				other503.Add(1)
				t.Errorf("unexpected answer: %v", err)
			}
		}()
	}
	eventually(t, "every request beyond the bound refused", func() bool {
		return refused.Load() == flood-bound
	})
	if got := h.rt.admit.inFlight(int64(uid)); got != bound {
		t.Fatalf("in flight to the blocked user: %d, want %d", got, bound)
	}
	if answered.Load() != 0 {
		t.Fatalf("%d requests answered while the actor was blocked", answered.Load())
	}
	if _, err := h.rt.Status(ctxT(), other); err != nil {
		t.Fatalf("another user: %v", err)
	}
	if _, err := h.rt.Status(ctxT(), uid); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("one more request while full: %v", err)
	}
	close(gate.gate)
	wg.Wait()
	if answered.Load() != bound || refused.Load() != flood-bound {
		t.Fatalf("answered %d, refused %d; want %d and %d", answered.Load(), refused.Load(), bound, flood-bound)
	}
	eventually(t, "every slot released", func() bool { return h.rt.admit.inFlight(int64(uid)) == 0 })
	if got := h.rt.Stats().Refused; got != flood-bound+1 {
		t.Fatalf("refused counter %d, want %d", got, flood-bound+1)
	}
	if _, err := h.rt.Status(ctxT(), uid); err != nil {
		t.Fatalf("after the flood: %v", err)
	}
}

// A caller that gave up does not free its slot: its request is still in the
// actor's mailbox, and the mailbox is what the bound protects.
func TestAbandonedRequestKeepsItsSlotUntilAnswered(t *testing.T) {
	t.Parallel()
	gate := &gatedSessions{gate: make(chan struct{})}
	h := newHarnessWith(t, Config{MaxInFlight: 2, RequestTimeout: time.Minute}, func(d *Deps) {
		gate.SessionStore = d.Sessions
		d.Sessions = gate
	})
	uid := h.user()
	gate.uid.Store(int64(uid))
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := h.rt.Status(ctx, uid)
		cancel()
		var je *juta.Error
		if !errors.As(err, &je) || je.Code != juta.EUNAVAILABLE || je.RetryAfter != 0 {
			t.Fatalf("a request the blocked actor cannot answer: %v, want a timeout", err)
		}
	}
	if got := h.rt.admit.inFlight(int64(uid)); got != 2 {
		t.Fatalf("in flight after the callers gave up: %d, want 2", got)
	}
	_, err := h.rt.Status(ctxT(), uid)
	var je *juta.Error
	if !errors.As(err, &je) || je.Code != juta.EUNAVAILABLE || je.RetryAfter != admissionRetryAfter {
		t.Fatalf("a third request: %v, want refused with Retry-After", err)
	}
	close(gate.gate)
	eventually(t, "slots released once answered", func() bool { return h.rt.admit.inFlight(int64(uid)) == 0 })
	if _, err := h.rt.Status(ctxT(), uid); err != nil {
		t.Fatalf("after the actor is free: %v", err)
	}
}

// gatedCreate holds CreateSession while armed, which blocks the user actor
// that calls it (it creates sessions on its own mailbox).
type gatedCreate struct {
	juta.SessionStore
	armed atomic.Bool
	gate  chan struct{}
}

func (g *gatedCreate) CreateSession(ctx context.Context, uid juta.UserID, name string) (juta.Session, error) {
	if g.armed.Load() {
		select {
		case <-g.gate:
		case <-ctx.Done():
			return juta.Session{}, ctx.Err()
		}
	}
	return g.SessionStore.CreateSession(ctx, uid, name)
}

// While a user actor is blocked, its sessions store no more incoming messages
// than its notice bound: the rest stay queued, unacknowledged, at WhatsApp
// (here the simulator), and once the actor is free every one is stored once.
func TestBlockedUserActorHoldsIngestAtItsBound(t *testing.T) {
	t.Parallel()
	const bound, sent = 4, 10
	gate := &gatedCreate{gate: make(chan struct{})}
	h := newHarnessWith(t, Config{MaxInFlight: bound, RequestTimeout: time.Minute}, func(d *Deps) {
		gate.SessionStore = d.Sessions
		d.Sessions = gate
	})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)

	gate.armed.Store(true)
	blocked := make(chan error, 1)
	go func() {
		_, err := h.rt.CreateSession(ctxT(), uid, "blocks the actor")
		blocked <- err
	}()
	for i := range sent {
		if _, err := h.sim.SendFromPhone("+60199990041", phone, fmt.Sprintf("held %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "ingest held at the bound", func() bool {
		return h.rt.Stats().IngestHeld == 1 && len(h.messages(uid, s.ID)) == bound && h.sim.Stats().Queued == sent-bound
	})
	close(gate.gate)
	if err := <-blocked; err != nil {
		t.Fatalf("the blocking request: %v", err)
	}
	eventually(t, "every message stored", func() bool { return len(h.messages(uid, s.ID)) == sent })
	eventually(t, "every message acknowledged", func() bool { return h.sim.Stats().Queued == 0 })
	seen := map[string]bool{}
	for _, m := range h.messages(uid, s.ID) {
		if seen[m.Text] {
			t.Fatalf("%q stored twice", m.Text)
		}
		seen[m.Text] = true
	}
}
