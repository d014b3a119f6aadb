package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
)

// Two nodes on one database, each hosting one user with a reminder due at
// the same moment: both nodes run the due schedule, yet each reminder fires
// once, on the node that holds its user, and reaches its owner's phone once.
// (A node that fired the other node's user's reminder could not send it.)
func TestClusterDueRemindersFireWhereTheUserLives(t *testing.T) {
	t.Parallel()
	// The test writes each message's detection itself, so the nodes' sweeps
	// of the detection queue are off: a sweep that detected the message first
	// would leave the test's detection unsaved (a message is detected once).
	h := newHarnessWith(t, Config{DetectSweep: time.Hour, DueInterval: 50 * time.Millisecond}, func(d *Deps) {
		d.Actions = d.Messages.(juta.ActionStore)
		d.Detector = ai.NewRules(ai.Options{})
	})
	h.stopRuntime(h.rt, h.system)
	const ttl = 10 * time.Second
	nodes := []*clusterNode{h.startClusterNode("due-a", ttl), h.startClusterNode("due-b", ttl)}
	later := time.Now().Add(time.Hour)
	phones := map[juta.UserID]string{}
	reminder := map[juta.UserID]int64{}
	for i, n := range nodes {
		uid, phone := h.user(), newPhone()
		h.rt = n.rt
		s := h.link(uid, phone)
		if l, err := h.db.LookupLease(ctxT(), uid); err != nil || l.Holder != n.keeper.Holder() {
			t.Fatalf("user %d not held by node %d: %+v, %v", uid, i, l, err)
		}
		m, _, _, err := h.db.StoreMessage(context.Background(), juta.Message{UserID: uid, SessionID: s.ID,
			Chat: "+60199990022", Sender: "+60199990022", WAID: "due-c", Text: "remind me", SentAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		saved, _, _, err := h.db.SaveDetection(context.Background(), juta.Detection{Message: m,
			Actions: []juta.Action{{Type: juta.ActionReminder, Title: "Call Ibu", Confidence: 0.9, DueAt: &later}}})
		if err != nil || len(saved) != 1 {
			t.Fatalf("save = %v, %v", saved, err)
		}
		phones[uid], reminder[uid] = phone, saved[0].ID
	}
	t.Cleanup(func() { logDueState(t, h, nodes, phones) })
	// Both reminders come due at one moment, only once the whole setup is
	// done, with notify set in the same update: a reminder that fired before
	// its owner asked to be notified is, by design, not sent.
	due, notify := time.Now(), true
	for uid, id := range reminder {
		if _, _, err := h.db.UpdateAction(context.Background(), uid, id, juta.ActionUpdate{Notify: &notify, SnoozeUntil: &due}); err != nil {
			t.Fatal(err)
		}
	}
	reminders := func(phone string) int {
		n := 0
		for _, it := range h.sim.Inbox(phone) {
			if it.Text == "⏰ Call Ibu" {
				n++
			}
		}
		return n
	}
	for uid, phone := range phones {
		eventually(t, "the reminder on each owner's phone", func() bool { return reminders(phone) >= 1 })
		evs, _ := h.db.EventsAfter(context.Background(), uid, 0, 1000)
		if n, got := countType(evs, juta.EventActionDue), reminders(phone); n != 1 || got != 1 {
			t.Fatalf("user %d: %d action.due events and %d reminders on the phone, want 1 and 1", uid, n, got)
		}
	}
}

// logDueState logs, when the test failed, where each user's lease is, its
// events and what reached its phone.
func logDueState(t *testing.T, h *harness, nodes []*clusterNode, phones map[juta.UserID]string) {
	if !t.Failed() {
		return
	}
	for i, n := range nodes {
		t.Logf("node %d: %+v holds %v", i, n.keeper.Holder(), n.keeper.Held())
	}
	for uid, phone := range phones {
		l, err := h.db.LookupLease(context.Background(), uid)
		t.Logf("user %d (%s): lease %+v, %v", uid, phone, l, err)
		evs, _ := h.db.EventsAfter(context.Background(), uid, 0, 1000)
		for _, ev := range evs {
			t.Logf("  event %d %s %s %.160s", ev.Cursor, ev.CreatedAt.Format("15:04:05.000"), ev.Type, ev.Data)
		}
		for _, it := range h.sim.Inbox(phone) {
			t.Logf("  inbox %s %q from %s", it.SentAt.Format("15:04:05.000"), it.Text, it.From)
		}
	}
}
