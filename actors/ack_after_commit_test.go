package actors

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	juta "github.com/juta-app/juta"
)

// outageStore is the message store with an outage switch: while down,
// StoreMessage fails as a lost database would, and counts its refusals.
type outageStore struct {
	juta.MessageStore
	down    atomic.Bool
	refused atomic.Int32
}

func (s *outageStore) StoreMessage(ctx context.Context, m juta.Message) (juta.Message, juta.Event, bool, error) {
	if s.down.Load() {
		s.refused.Add(1)
		return juta.Message{}, juta.Event{}, false, errors.New("connection refused")
	}
	return s.MessageStore.StoreMessage(ctx, m)
}

// A message is acknowledged to WhatsApp only once it is committed: one the
// store could not take stays queued at WhatsApp and arrives again on the
// next connection, and is then stored once.
func TestMessageIsAckedOnlyAfterCommit(t *testing.T) {
	store := &outageStore{}
	h := newHarnessWith(t, Config{}, func(d *Deps) {
		store.MessageStore = d.Messages
		d.Messages = store
	})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	before := h.sim.Stats()
	store.down.Store(true)
	if _, err := h.sim.SendFromPhone("+60199990031", phone, "while the database is down"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the store refusing the message", func() bool { return store.refused.Load() > 0 })
	if st := h.sim.Stats(); st.Delivered != before.Delivered || st.Queued != before.Queued+1 {
		t.Fatalf("simulator after a refused store: %+v (before %+v); want the message queued, not acknowledged", st, before)
	}
	if got := h.messages(uid, s.ID); len(got) != 0 {
		t.Fatalf("stored %+v while the store was down", got)
	}

	store.down.Store(false)
	h.restart() // the session reconnects at start-up and WhatsApp redelivers
	h.waitState(uid, s.ID, juta.StateConnected)
	eventually(t, "the redelivered message stored", func() bool {
		m := h.messages(uid, s.ID)
		return len(m) == 1 && m[0].Text == "while the database is down"
	})
	eventually(t, "the acknowledgement", func() bool {
		st := h.sim.Stats()
		return st.Queued == before.Queued && st.Delivered == before.Delivered+1
	})
}
