package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
)

func detectingHarness(t *testing.T, cfg Config) *harness {
	cfg.DetectSweep, cfg.DueInterval = 50*time.Millisecond, 50*time.Millisecond
	return newHarnessWith(t, cfg, func(d *Deps) {
		d.Actions = d.Messages.(juta.ActionStore) // the same Postgres store
		d.Detector = ai.NewRules(ai.Options{})
	})
}

// An incoming message becomes actions, stored once and pushed live.
func TestIncomingMessageBecomesActions(t *testing.T) {
	h := detectingHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	sub, err := h.rt.Subscribe(ctxT(), uid, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if _, err := h.sim.SendFromPhone("+60199990020", phone, "boleh transfer RM250 before Friday?"); err != nil {
		t.Fatal(err)
	}
	ev := next(t, sub, juta.EventActionCreated)
	if ev.SessionID != s.ID {
		t.Fatalf("action event of session %d", ev.SessionID)
	}
	page, err := h.db.Actions(context.Background(), uid, juta.ActionFilter{Type: juta.ActionPayment}, "", 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("payment actions = %+v, %v", page, err)
	}
	if a := page.Items[0]; a.Amount != "250.00" || a.Currency != "MYR" || a.DueAt == nil {
		t.Fatalf("payment = %+v", a)
	}
	if h.rt.Stats().Detected != 1 {
		t.Fatalf("detected = %d", h.rt.Stats().Detected)
	}
}

// Messages stored while no detector ran (a crash, a full pool) are found in
// the durable queue and detected once.
func TestSweepDetectsWhatWasMissed(t *testing.T) {
	h := detectingHarness(t, Config{})
	uid := h.user()
	s, err := h.db.CreateSession(context.Background(), uid, "offline")
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"jumpa esok pukul 3 petang", "ok", "Call Ibu esok at 3pm"} {
		m := juta.Message{UserID: uid, SessionID: s.ID, Chat: "+60199990021", Sender: "+60199990021",
			WAID: string(rune('A' + i)), Text: text, SentAt: time.Now()}
		if _, _, _, err := h.db.StoreMessage(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "the queue drained", func() bool {
		left, err := h.db.PendingDetections(context.Background(), 10, 0, nil)
		return err == nil && len(left) == 0
	})
	page, _ := h.db.Actions(context.Background(), uid, juta.ActionFilter{}, "", 50)
	types := map[juta.ActionType]int{}
	for _, a := range page.Items {
		types[a.Type]++
	}
	if types[juta.ActionMeeting] != 1 || types[juta.ActionReminder] != 1 {
		t.Fatalf("actions by type = %v", types)
	}
}

// A due reminder fires once as an event and, when asked, on WhatsApp.
func TestDueReminderFiresAndNotifies(t *testing.T) {
	h := detectingHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	m, _, _, err := h.db.StoreMessage(context.Background(), juta.Message{UserID: uid, SessionID: s.ID,
		Chat: "+60199990022", Sender: "+60199990022", WAID: "due1", Text: "remind me", SentAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(300 * time.Millisecond)
	saved, _, _, err := h.db.SaveDetection(context.Background(), juta.Detection{Message: m,
		Actions: []juta.Action{{Type: juta.ActionReminder, Title: "Call Ibu", Confidence: 0.9, DueAt: &due}}})
	if err != nil || len(saved) != 1 {
		t.Fatalf("save = %v, %v", saved, err)
	}
	notify := true
	if _, _, err := h.db.UpdateAction(context.Background(), uid, saved[0].ID, juta.ActionUpdate{Notify: &notify}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reminder on the owner's phone", func() bool {
		for _, it := range h.sim.Inbox(phone) {
			if it.Text == "⏰ Call Ibu" {
				return true
			}
		}
		return false
	})
	evs, _ := h.db.EventsAfter(context.Background(), uid, 0, 1000)
	if n := countType(evs, juta.EventActionDue); n != 1 {
		t.Fatalf("%d action.due events, want 1", n)
	}
}

// A repeating reminder fires once and the schedule moves it to its next
// occurrence, logged after its action.due event.
func TestDueRepeatingReminderMovesOn(t *testing.T) {
	h := detectingHarness(t, Config{})
	uid := h.user()
	s := h.link(uid, newPhone())
	m, _, _, err := h.db.StoreMessage(context.Background(), juta.Message{UserID: uid, SessionID: s.ID,
		Chat: "+60199990023", Sender: "+60199990023", WAID: "rep1", Text: "every day at 9pm take medicine", SentAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(300 * time.Millisecond).Truncate(time.Millisecond)
	saved, _, _, err := h.db.SaveDetection(context.Background(), juta.Detection{Message: m,
		Actions: []juta.Action{{Type: juta.ActionReminder, Title: "Take medicine", Confidence: 0.9, DueAt: &due, Repeat: "FREQ=DAILY"}}})
	if err != nil || len(saved) != 1 {
		t.Fatalf("save = %v, %v", saved, err)
	}
	next := due.AddDate(0, 0, 1)
	eventually(t, "the reminder moved to tomorrow", func() bool {
		a, err := h.db.Action(context.Background(), uid, saved[0].ID)
		return err == nil && a.DueAt != nil && a.DueAt.Equal(next)
	})
	evs, _ := h.db.EventsAfter(context.Background(), uid, 0, 1000)
	due1, moved := -1, -1
	for i, ev := range evs {
		switch ev.Type {
		case juta.EventActionDue:
			due1 = i
		case juta.EventActionUpdated:
			moved = i
		}
	}
	if countType(evs, juta.EventActionDue) != 1 || due1 < 0 || moved < due1 {
		t.Fatalf("events %v: want one action.due, then action.updated", evs)
	}
}
