package persistence_test

import (
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A repeating reminder that comes due fires once and moves to its next
// occurrence in the same transaction, then fires again when that comes.
func TestRepeatingActionSchedulesNextOccurrence(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	due := time.Now().Add(-time.Minute).Truncate(time.Second)
	m := storeMsg(t, db, msg(s, "W1", "setiap Isnin pukul 9 pagi standup"))
	saved, _, _, err := db.SaveDetection(testCtx(t), juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionMeeting, Title: "Standup", Confidence: 0.8, DueAt: &due, Repeat: "FREQ=WEEKLY"}}})
	if err != nil || len(saved) != 1 || saved[0].Repeat != "FREQ=WEEKLY" {
		t.Fatalf("save = %+v, %v", saved, err)
	}
	id := saved[0].ID

	fired, evs, err := db.ClaimDueActions(testCtx(t), time.Now(), 10, nil)
	if err != nil || len(fired) != 1 || fired[0].ID != id || !fired[0].DueAt.Equal(due) {
		t.Fatalf("claim = %+v, %v", fired, err)
	}
	if len(evs) != 2 || evs[0].Type != juta.EventActionDue || evs[1].Type != juta.EventActionUpdated || evs[1].Cursor <= evs[0].Cursor {
		t.Fatalf("events = %+v, want action.due then action.updated", evs)
	}
	next := due.AddDate(0, 0, 7)
	a, err := db.Action(testCtx(t), s.UserID, id)
	if err != nil || a.DueAt == nil || !a.DueAt.Equal(next) || a.Repeat != "FREQ=WEEKLY" {
		t.Fatalf("after firing: %+v, %v; want due %v", a, err, next)
	}
	if again, _, err := db.ClaimDueActions(testCtx(t), time.Now(), 10, nil); err != nil || len(again) != 0 {
		t.Fatalf("claimed again before the next occurrence: %+v, %v", again, err)
	}
	later, _, err := db.ClaimDueActions(testCtx(t), next.Add(time.Second), 10, nil)
	if err != nil || len(later) != 1 || !later[0].DueAt.Equal(next) {
		t.Fatalf("next occurrence = %+v, %v", later, err)
	}
}

func TestActionWithBadRepeatIsRefused(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	due := time.Now().Add(time.Hour)
	m := storeMsg(t, db, msg(s, "W2", "every blue moon"))
	_, _, _, err := db.SaveDetection(testCtx(t), juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionReminder, Title: "Moon", Confidence: 0.5, DueAt: &due, Repeat: "FREQ=HOURLY"}}})
	wantCode(t, err, juta.EINVALID)
	page, err := db.Actions(testCtx(t), s.UserID, juta.ActionFilter{}, "", 10)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("actions after a refused save = %+v, %v", page, err)
	}
}
