package persistence_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func storeMsg(t *testing.T, db interface {
	StoreMessage(ctx context.Context, m juta.Message) (juta.Message, juta.Event, bool, error)
}, m juta.Message) juta.Message {
	t.Helper()
	stored, _, _, err := db.StoreMessage(testCtx(t), m)
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

func TestDetectionIsSavedOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	m := storeMsg(t, db, msg(s, "W1", "boleh transfer RM250 before Friday?"))
	pending, err := db.PendingDetections(testCtx(t), 10, 5, nil)
	if err != nil || len(pending) != 1 || pending[0].Message.ID != m.ID {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	due := time.Date(2025, 1, 3, 10, 0, 0, 0, time.UTC)
	d := juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionPayment, Title: "Pay RM250.00", Amount: "250.00", Currency: "MYR", Confidence: 0.9, DueAt: &due, Span: "transfer RM250"},
		{Type: juta.ActionReplyNeeded, Title: "Reply", Confidence: 0.6},
	}}
	var wg sync.WaitGroup
	applied := make(chan bool, 4)
	for i := 0; i < 4; i++ { // concurrent detectors of the same message
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, ok, err := db.SaveDetection(testCtx(t), d)
			if err != nil {
				t.Error(err)
			}
			applied <- ok
		}()
	}
	wg.Wait()
	close(applied)
	n := 0
	for ok := range applied {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("detection applied %d times, want once", n)
	}
	page, err := db.Actions(testCtx(t), s.UserID, juta.ActionFilter{}, "", 10)
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("actions = %+v, %v", page, err)
	}
	pay := page.Items[1]
	if pay.Type != juta.ActionPayment || pay.Amount != "250.00" || pay.Status != juta.ActionPending || pay.MessageID != m.ID {
		t.Fatalf("payment = %+v", pay)
	}
	if left, _ := db.PendingDetections(testCtx(t), 10, 0, nil); len(left) != 0 {
		t.Fatalf("still pending: %+v", left)
	}
	evs, _ := db.EventsAfter(testCtx(t), s.UserID, 0, 100)
	created := 0
	for _, ev := range evs {
		if ev.Type == juta.EventActionCreated {
			created++
		}
	}
	if created != 2 {
		t.Fatalf("%d action.created events, want 2", created)
	}
}

func TestActionLifecycleAndIsolation(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	other := mustUser(t, db)
	m := storeMsg(t, db, msg(s, "W2", "please send the report"))
	got, _, _, err := db.SaveDetection(testCtx(t), juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionTask, Title: "Send the report", Confidence: 0.8}}})
	if err != nil || len(got) != 1 {
		t.Fatalf("save = %+v, %v", got, err)
	}
	id := got[0].ID
	if _, err := db.Action(testCtx(t), other.ID, id); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("other user's read: %v", err)
	}
	_, _, err = db.UpdateAction(testCtx(t), other.ID, id, juta.ActionUpdate{Status: juta.ActionDismissed})
	wantCode(t, err, juta.ENOTFOUND)
	_, _, err = db.UpdateAction(testCtx(t), s.UserID, id, juta.ActionUpdate{Status: juta.ActionDone})
	wantCode(t, err, juta.ESTATE) // pending cannot jump to done
	a, ev, err := db.UpdateAction(testCtx(t), s.UserID, id, juta.ActionUpdate{Status: juta.ActionAccepted})
	if err != nil || a.Status != juta.ActionAccepted || ev.Type != juta.EventActionUpdated {
		t.Fatalf("accept = %+v %+v %v", a, ev, err)
	}
	if a, _, err = db.UpdateAction(testCtx(t), s.UserID, id, juta.ActionUpdate{Status: juta.ActionDone}); err != nil || a.Status != juta.ActionDone {
		t.Fatalf("done = %+v, %v", a, err)
	}
	page, err := db.Actions(testCtx(t), s.UserID, juta.ActionFilter{Status: juta.ActionPending}, "", 10)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("pending filter = %+v, %v", page, err)
	}
}

func TestDueActionsFireOnceAcrossClaimers(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	past := time.Now().Add(-time.Minute)
	future := time.Now().Add(time.Hour)
	for i, due := range []time.Time{past, past, future} {
		m := storeMsg(t, db, msg(s, "R"+string(rune('a'+i)), "remind me"))
		if _, _, _, err := db.SaveDetection(testCtx(t), juta.Detection{Message: m, Actions: []juta.Action{
			{Type: juta.ActionReminder, Title: "Call Ibu", Confidence: 0.9, DueAt: &due}}}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	fired := map[int64]int{}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, evs, err := db.ClaimDueActions(testCtx(t), time.Now(), 10, nil)
			if err != nil {
				t.Error(err)
			}
			if len(evs) != len(got) {
				t.Errorf("%d events for %d actions", len(evs), len(got))
			}
			mu.Lock()
			for _, a := range got {
				fired[a.ID]++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(fired) != 2 {
		t.Fatalf("fired %v, want the two past-due reminders", fired)
	}
	for id, n := range fired {
		if n != 1 {
			t.Fatalf("action %d fired %d times", id, n)
		}
	}
	// Snoozing a fired reminder schedules it again.
	var anyID int64
	for id := range fired {
		anyID = id
	}
	soon := time.Now().Add(-time.Second)
	if _, _, err := db.UpdateAction(testCtx(t), s.UserID, anyID, juta.ActionUpdate{SnoozeUntil: &soon}); err != nil {
		t.Fatal(err)
	}
	again, _, err := db.ClaimDueActions(testCtx(t), time.Now(), 10, nil)
	if err != nil || len(again) != 1 || again[0].ID != anyID {
		t.Fatalf("after snooze: %+v, %v", again, err)
	}
}
