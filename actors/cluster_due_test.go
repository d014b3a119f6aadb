package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// Two nodes on one database, each hosting one user with a reminder due at
// the same moment: both nodes run the due schedule, yet each reminder fires
// once, on the node that holds its user, and reaches its owner's phone once.
// (A node that fired the other node's user's reminder could not send it.)
func TestClusterDueRemindersFireWhereTheUserLives(t *testing.T) {
	t.Parallel()
	h := detectingHarness(t, Config{})
	h.stopRuntime(h.rt, h.system)
	const ttl = 10 * time.Second
	nodes := []*clusterNode{h.startClusterNode("due-a", ttl), h.startClusterNode("due-b", ttl)}
	due := time.Now().Add(time.Second)
	notify := true
	phones := map[juta.UserID]string{}
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
			Actions: []juta.Action{{Type: juta.ActionReminder, Title: "Call Ibu", Confidence: 0.9, DueAt: &due}}})
		if err != nil || len(saved) != 1 {
			t.Fatalf("save = %v, %v", saved, err)
		}
		if _, _, err := h.db.UpdateAction(context.Background(), uid, saved[0].ID, juta.ActionUpdate{Notify: &notify}); err != nil {
			t.Fatal(err)
		}
		phones[uid] = phone
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
