package actors

import (
	"testing"

	juta "github.com/juta-app/juta"
)

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

	silent, err := h.db.AppendEvent(ctxT(), uid, s.ID, juta.EventSessionState, []byte(`{"note":"logged, never announced"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.SendFromPhone("+60199990041", phone, "after"); err != nil {
		t.Fatal(err)
	}
	got := next(t, sub, juta.EventSessionState)
	after := next(t, sub, juta.EventMessage)
	if got.Cursor != silent.Cursor || before.Cursor >= got.Cursor || got.Cursor >= after.Cursor {
		t.Fatalf("cursors %d, %d, %d; want %d in the middle", before.Cursor, got.Cursor, after.Cursor, silent.Cursor)
	}
}
