package actors

import (
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// A passivated user's linked session is woken on the schedule: what WhatsApp
// queued arrives without any request, and the user passivates again.
func TestWakeUpPullsQueuedMessages(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 150 * time.Millisecond, WakeIdle: 150 * time.Millisecond,
		WakeInterval: 300 * time.Millisecond})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	eventually(t, "passivation", func() bool { return h.sim.Stats().Connections == 0 })
	if _, err := h.sim.SendFromPhone("+60199990030", phone, "while asleep"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the queued message stored by a wake-up", func() bool {
		got, err := h.db.RecentMessages(ctxT(), uid, s.ID, "+60199990030", 5)
		return err == nil && len(got) == 1
	})
	if h.rt.Stats().WakeUps == 0 {
		t.Fatal("no wake-up counted")
	}
	eventually(t, "asleep again", func() bool { return h.sim.Stats().Connections == 0 })
	if st, _ := h.db.Session(ctxT(), uid, s.ID); st.State != juta.StateConnected || !st.WantConnected {
		t.Fatalf("stored session = %+v: a passivated linked session stays linked", st)
	}
}
