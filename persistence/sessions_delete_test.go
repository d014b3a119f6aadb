package persistence_test

import (
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A writer that holds a message of the session through a foreign key and
// then needs the session's row (as saving an action and its event does)
// deadlocks with the session's deletion, which holds the session's row and
// waits for the message. PostgreSQL aborts the deletion (the one whose
// deadlock check runs first, made so below); the deletion runs again once the
// writer has committed, and the caller sees one success.
func TestDeleteSessionOutlivesADeadlockWithAWriter(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	m, _, _, err := db.StoreMessage(ctx, msg(s, "D1", "boleh bayar esok?"))
	if err != nil {
		t.Fatal(err)
	}
	writer, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Rollback(ctx) //nolint:errcheck // no-op after commit
	// PostgreSQL checks for a deadlock in a waiter deadlock_timeout after
	// its wait began; which of the two finds it first would depend on the
	// machine's load. The writer checks only after 30 s, so the deletion,
	// which checks after the server's 1 s, is the one aborted.
	if _, err := writer.Exec(ctx, `SET LOCAL deadlock_timeout = '30s'`); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.Exec(ctx, `SELECT 1 FROM messages WHERE id = $1 FOR KEY SHARE`, m.ID); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		_, err := db.DeleteSession(ctx, s.UserID, s.ID)
		done <- err
	}()
	pgtest.Eventually(t, "the deletion waiting for the writer's lock", func() bool {
		var waiting bool
		err := db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE query LIKE 'DELETE FROM wa_sessions%' AND wait_event_type = 'Lock')`).Scan(&waiting)
		return err == nil && waiting
	})
	// The writer now needs the session's row, which the deletion holds.
	if _, err := writer.Exec(ctx, `SELECT 1 FROM wa_sessions WHERE id = $1 FOR KEY SHARE`, s.ID); err != nil {
		t.Fatalf("the writer was the one aborted: %v", err)
	}
	if err := writer.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("delete session = %v, want it done on a second attempt", err)
	}
	if _, err := db.Session(ctx, s.UserID, s.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("session after its deletion: %v, want not found", err)
	}
}
