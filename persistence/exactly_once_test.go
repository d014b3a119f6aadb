package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A detection is marked done in the transaction that stores its actions: when
// storing fails, the message stays pending, so the sweep detects it again.
func TestFailedDetectionLeavesMessagePending(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	m := storeMsg(t, db, msg(s, "A1", "meet at 3pm, and pay RM50"))
	_, _, applied, err := db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionMeeting, Title: "Meet", Confidence: 0.8},
		{Type: "bogus", Title: "Second action fails", Confidence: 0.5},
	}})
	if juta.ErrorCode(err) != juta.EINVALID || applied {
		t.Fatalf("save with a bad action: applied %v, %v; want %s", applied, err, juta.EINVALID)
	}
	pending, err := db.PendingDetections(ctx, 10, 0, nil)
	if err != nil || len(pending) != 1 || pending[0].Message.ID != m.ID {
		t.Fatalf("after a failed save, pending = %+v, %v; want the message again", pending, err)
	}
	if page, err := db.Actions(ctx, s.UserID, juta.ActionFilter{}, "", 10); err != nil || len(page.Items) != 0 {
		t.Fatalf("a failed save left actions: %+v, %v", page.Items, err)
	}
	evs, err := db.EventsAfter(ctx, s.UserID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Type == juta.EventActionCreated {
			t.Fatalf("a failed save left an %s event", ev.Type)
		}
	}
	// The retry is the one that counts.
	saved, _, applied, err := db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionMeeting, Title: "Meet", Confidence: 0.8}}})
	if err != nil || !applied || len(saved) != 1 {
		t.Fatalf("retry: %+v applied %v, %v", saved, applied, err)
	}
	if pending, _ := db.PendingDetections(ctx, 10, 0, nil); len(pending) != 0 {
		t.Fatalf("after the retry, still pending: %+v", pending)
	}
}

// Another claimer holds a due reminder (it has fired it and not committed
// yet). A second claim must skip that row, neither waiting for it nor firing
// it again once the first commits. Deterministic: the first claim is held
// open by the test, and the test watches the second for a lock wait.
func TestDueClaimSkipsRowsAnotherClaimerHolds(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	due := time.Now().Add(-time.Minute)
	m := storeMsg(t, db, msg(s, "D1", "remind me"))
	saved, _, _, err := db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionReminder, Title: "Call Ibu", Confidence: 0.9, DueAt: &due}}})
	if err != nil || len(saved) != 1 {
		t.Fatalf("save: %+v, %v", saved, err)
	}
	first, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(context.Background()) //nolint:errcheck // no-op after commit
	if _, err := first.Exec(ctx, `UPDATE actions SET fired_at = now() WHERE id = $1`, saved[0].ID); err != nil {
		t.Fatal(err)
	}

	type claim struct {
		fired []juta.Action
		err   error
	}
	done := make(chan claim, 1)
	go func() {
		fired, _, err := db.ClaimDueActions(ctx, time.Now(), 10, nil)
		done <- claim{fired, err}
	}()
	var got claim
	waited := false
	deadline := time.Now().Add(30 * time.Second)
poll:
	for {
		select {
		case got = <-done:
			break poll
		default:
		}
		if lockWaiters(t, db.Pool()) > 0 {
			waited = true
			break poll
		}
		if time.Now().After(deadline) {
			t.Fatal("the second claim neither returned nor waited on a lock")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if waited {
		// See what it does once the first has committed.
		got = <-done
		t.Errorf("the second claim waited for the row the first holds instead of skipping it")
	}
	if got.err != nil || len(got.fired) != 0 {
		t.Fatalf("second claim while the first holds the row: %+v, %v; want nothing", got.fired, got.err)
	}
	again, _, err := db.ClaimDueActions(ctx, time.Now(), 10, nil)
	if err != nil || len(again) != 0 {
		t.Fatalf("claim after the first committed: %+v, %v; want nothing (fired once)", again, err)
	}
}

// lockWaiters counts the backends of this database waiting for a lock.
func lockWaiters(t *testing.T, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) int {
	t.Helper()
	var n int
	err := q.QueryRow(testCtx(t), `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
