package actors

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A user's lease is given up only once no client of the user is tracked: a
// client dropped while its connect attempt is in flight stays tracked until
// that attempt has returned, because a handshake under way still reaches
// WhatsApp. Until then no other node may take the user (it would connect the
// same account a second time).
func TestLeaseReleaseWaitsForAConnectInFlight(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	const ttl = 3 * time.Second
	a, b := startKeeper(t, db, "a", ttl), startKeeper(t, db, "b", ttl)
	u := heldUser(t, db, a)
	untrack, ok := a.keeper.Track(u.ID, func() {})
	if !ok {
		t.Fatal("a does not trust the lease it just took")
	}
	// The session drops its client while Connect has not returned.
	connecting := make(chan struct{})
	var untracked atomic.Bool
	s := &sessionActor{untrack: func() { untracked.Store(true); untrack() }, connected: connecting}
	s.untrackClient()
	if untracked.Load() {
		t.Fatal("a client whose connect is in flight was untracked at once")
	}

	released := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		released <- a.keeper.Release(ctx, u.ID)
	}()
	// However long the connect takes, the lease stays a's: b cannot claim.
	for range 3 {
		if _, err := b.keeper.Acquire(ctxT(), u.ID); juta.ErrorCode(err) != juta.ECONFLICT {
			t.Fatalf("b claimed the user while a's connect was in flight: %v", err)
		}
		select {
		case err := <-released:
			t.Fatalf("released while a client was connecting: %v", err)
		default:
		}
	}

	close(connecting) // Connect returned (and closed what it opened)
	if err := <-released; err != nil {
		t.Fatalf("release: %v", err)
	}
	if !untracked.Load() {
		t.Fatal("the client was never untracked")
	}
	eventually(t, "b to take the user", func() bool {
		_, err := b.keeper.Acquire(ctxT(), u.ID)
		return err == nil
	})
}

// A client whose connect attempt has returned is untracked at once.
func TestUntrackAfterConnectReturnedIsImmediate(t *testing.T) {
	done := make(chan struct{})
	close(done)
	var untracked bool
	s := &sessionActor{untrack: func() { untracked = true }, connected: done}
	s.untrackClient()
	if !untracked || s.untrack != nil || s.connected != nil {
		t.Fatalf("untracked %v, untrack left %v, connected left %v", untracked, s.untrack != nil, s.connected != nil)
	}
}
