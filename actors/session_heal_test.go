package actors

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// refuseMessages makes PostgreSQL itself refuse every new message row (a
// trigger that raises), a store failure no retry on the same connection can
// get past; allowMessages lifts it.
func (h *harness) refuseMessages() {
	h.t.Helper()
	h.exec(`CREATE FUNCTION refuse_messages() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`)
	h.exec(`CREATE TRIGGER refuse_messages BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_messages()`)
}

func (h *harness) allowMessages() {
	h.t.Helper()
	h.exec(`DROP TRIGGER refuse_messages ON messages`)
}

func (h *harness) exec(sql string) {
	h.t.Helper()
	if _, err := h.db.Pool().Exec(context.Background(), sql); err != nil {
		h.t.Fatal(err)
	}
}

// Messages whose store failed are redelivered without a human: the session
// reconnects with backoff until the store takes them, and each is stored once.
// The simulator, like WhatsApp, redelivers only on a new connection.
func TestFailedStoreIsRedeliveredByReconnecting(t *testing.T) {
	h := newHarness(t, Config{ReconnectMin: 20 * time.Millisecond, ReconnectMax: 200 * time.Millisecond})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)

	h.refuseMessages()
	for i := 0; i < 3; i++ {
		if _, err := h.sim.SendFromPhone("+60199990031", phone, fmt.Sprintf("while refused %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "a reconnect that brings the refused messages again", func() bool {
		return h.sim.Stats().Redelivered >= 3
	})
	if got := len(h.messages(uid, s.ID)); got != 0 {
		t.Fatalf("%d messages stored while the store refused them", got)
	}
	h.allowMessages()
	eventually(t, "the refused messages stored", func() bool { return len(h.messages(uid, s.ID)) == 3 })
	eventually(t, "the messages acknowledged", func() bool { return h.sim.Stats().Queued == 0 })
	h.waitState(uid, s.ID, juta.StateConnected)
	if n := len(h.messages(uid, s.ID)); n != 3 || h.rt.Stats().StoreHeals == 0 {
		t.Fatalf("stored %d messages after %d heals, want 3 after at least one", n, h.rt.Stats().StoreHeals)
	}
}

// gateHealth is a health verdict the test flips; the real probe is tested in
// persistence and by the fault harness of cmd/jutad.
type gateHealth struct{ down atomic.Bool }

func (g *gateHealth) Check() error {
	if g.down.Load() {
		return juta.Errorf(juta.EUNAVAILABLE, "down")
	}
	return nil
}

// While the health check says the store is down, the session does not churn
// its connection; once it is up, one reconnect brings the messages back.
func TestFailedStoreWaitsForHealthBeforeReconnecting(t *testing.T) {
	health := &gateHealth{}
	h := newHarnessWith(t, Config{ReconnectMin: 20 * time.Millisecond, ReconnectMax: 200 * time.Millisecond},
		func(d *Deps) { d.Health = health })
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)

	health.down.Store(true)
	h.refuseMessages()
	if _, err := h.sim.SendFromPhone("+60199990032", phone, "while down"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the store failure", func() bool { return h.db.IngestStats().Failed >= 1 })
	h.allowMessages()
	health.down.Store(false)
	eventually(t, "the message stored", func() bool { return len(h.messages(uid, s.ID)) == 1 })
	if heals := h.rt.Stats().StoreHeals; heals != 1 {
		t.Fatalf("%d reconnects for one outage, want 1", heals)
	}
}
