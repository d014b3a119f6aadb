package actors

import (
	"slices"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// An idle user whose session is always on rests instead of passivating: its
// session stays connected and a message is stored as it arrives, while an
// idle user without one passivates (its messages wait for a wake-up).
func TestAlwaysOnSessionStaysConnectedWhileIdle(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 50 * time.Millisecond, WakeInterval: time.Hour})
	on, off := h.user(), h.user()
	onPhone, offPhone := newPhone(), newPhone()
	onSess, offSess := h.link(on, onPhone), h.link(off, offPhone)
	got, err := h.rt.SetAlwaysOn(ctxT(), on, onSess.ID, true)
	if err != nil || !got.AlwaysOn {
		t.Fatalf("set always on = %+v, %v", got, err)
	}
	if s, err := h.db.Session(ctxT(), on, onSess.ID); err != nil || !s.AlwaysOn {
		t.Fatalf("stored session = %+v, %v; want always on", s, err)
	}
	active := func(uid juta.UserID) bool {
		users, err := h.rt.ActiveUsers(ctxT())
		return err == nil && slices.Contains(users, uid)
	}
	eventually(t, "the other user to passivate", func() bool { return !active(off) })
	// Several idle periods later the always-on user is still there, connected.
	rests := h.rt.Stats().Rests
	eventually(t, "two more idle periods", func() bool { return h.rt.Stats().Rests >= rests+2 })
	if !active(on) {
		t.Fatal("the always-on user passivated")
	}
	if _, err := h.sim.SendFromPhone("+60199990061", onPhone, "are you open today?"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the message stored while idle", func() bool { return len(h.messages(on, onSess.ID)) == 1 })
	if _, err := h.sim.SendFromPhone("+60199990062", offPhone, "are you open today?"); err != nil {
		t.Fatal(err)
	}
	if n := len(h.messages(off, offSess.ID)); n != 0 {
		t.Fatalf("the passivated user's session stored %d messages before a wake-up", n)
	}
}
