package persistence_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestStoreMessageDuplicateIsNoOp(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	s := mustSession(t, db, mustUser(t, db).ID)

	first, ev, inserted, err := db.StoreMessage(ctx, msg(s, "w1", "hello"))
	if err != nil || !inserted || first.ID == 0 || ev.Cursor != 1 || ev.Type != juta.EventMessage {
		t.Fatalf("first = %+v %+v %v %v", first, ev, inserted, err)
	}
	var inEvent juta.Message
	if err := json.Unmarshal(ev.Data, &inEvent); err != nil || inEvent.ID != first.ID || inEvent.Text != "hello" {
		t.Fatalf("event data %s: %v", ev.Data, err)
	}

	redelivered := msg(s, "w1", "hello, edited")
	again, ev2, inserted, err := db.StoreMessage(ctx, redelivered)
	if err != nil || inserted || ev2.Cursor != 0 || ev2.Data != nil {
		t.Fatalf("redelivery = %+v %+v %v %v", again, ev2, inserted, err)
	}
	if !reflect.DeepEqual(again, first) {
		t.Fatalf("redelivery returned %+v, want the stored copy %+v", again, first)
	}
	if evs, _ := db.EventsAfter(ctx, s.UserID, 0, 0); len(evs) != 1 {
		t.Fatalf("events after redelivery = %d, want 1", len(evs))
	}
}

func TestStoreMessageRejectsBadInput(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	noID := msg(s, "", "x")
	_, _, _, err := db.StoreMessage(ctx, noID)
	wantCode(t, err, juta.EINVALID)
	_, _, _, err = db.StoreMessage(ctx, msg(s, "w1", "nul\x00byte"))
	wantCode(t, err, juta.EINVALID)
	_, _, _, err = db.StoreMessage(ctx, msg(s, "w1", "bad \xff utf8"))
	wantCode(t, err, juta.EINVALID)
	missing := msg(s, "w1", "x")
	missing.SessionID += 1000
	_, _, _, err = db.StoreMessage(ctx, missing)
	wantCode(t, err, juta.ENOTFOUND)
}

// Many writers for several users, with redeliveries mixed in: every user's
// cursors are exactly 1..N, one event per distinct message.
func TestStoreMessageConcurrentCursorsAreGapless(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	const users, perUser, writers = 5, 300, 64
	sessions := make([]juta.Session, users)
	for i := range sessions {
		u := mustUser(t, db)
		mustSession(t, db, u.ID) // a second session, so session ids differ from user ids
		sessions[i] = mustSession(t, db, u.ID)
	}
	type job struct {
		s    juta.Session
		waID string
	}
	jobs := make(chan job)
	go func() {
		defer close(jobs)
		for i := range perUser {
			for _, s := range sessions {
				jobs <- job{s, fmt.Sprintf("w%d", i)}
				if i%7 == 0 { // a redelivery
					jobs <- job{s, fmt.Sprintf("w%d", i)}
				}
			}
		}
	}()
	var mu sync.Mutex
	inserts := map[juta.UserID]int{}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	ctx := testCtx(t)
	for range writers {
		wg.Go(func() {
			for j := range jobs {
				_, ev, inserted, err := db.StoreMessage(ctx, msg(j.s, j.waID, "text"))
				if err != nil {
					errs <- err
					return
				}
				if inserted != (ev.Cursor > 0) {
					errs <- fmt.Errorf("inserted=%v with event %+v", inserted, ev)
					return
				}
				if inserted {
					mu.Lock()
					inserts[j.s.UserID]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	for _, s := range sessions {
		if inserts[s.UserID] != perUser {
			t.Errorf("user %d: %d inserts reported, want %d", s.UserID, inserts[s.UserID], perUser)
		}
		checkGaplessMessageEvents(t, db, s, perUser)
	}
	t.Logf("writer stats: %+v", db.IngestStats())
}

func checkGaplessMessageEvents(t *testing.T, db interface {
	EventsAfter(context.Context, juta.UserID, int64, int) ([]juta.Event, error)
}, s juta.Session, want int) {
	t.Helper()
	seen := map[int64]bool{}
	var after int64
	for {
		evs, err := db.EventsAfter(testCtx(t), s.UserID, after, 1000)
		if err != nil {
			t.Fatalf("events: %v", err)
		}
		if len(evs) == 0 {
			break
		}
		for _, ev := range evs {
			if ev.Cursor != after+1 {
				t.Fatalf("user %d: cursor %d follows %d", s.UserID, ev.Cursor, after)
			}
			after = ev.Cursor
			var m juta.Message
			if err := json.Unmarshal(ev.Data, &m); err != nil {
				t.Fatalf("event data: %v", err)
			}
			if seen[m.ID] || m.SessionID != s.ID {
				t.Fatalf("user %d: duplicate or foreign message %+v", s.UserID, m)
			}
			seen[m.ID] = true
		}
	}
	if after != int64(want) {
		t.Fatalf("user %d: %d events, want %d", s.UserID, after, want)
	}
}

// Close with writers in flight: every call returns (stored or an error), and
// later calls fail with EUNAVAILABLE.
func TestCloseWithPendingWrites(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := 0
	ctx := testCtx(t)
	for w := range 32 {
		wg.Go(func() {
			for i := 0; ; i++ {
				_, _, _, err := db.StoreMessage(ctx, msg(s, fmt.Sprintf("w%d-%d", w, i), "x"))
				if err != nil {
					return
				}
				mu.Lock()
				stored++
				mu.Unlock()
			}
		})
	}
	eventually(t, "some messages stored", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return stored > 50
	})
	db.Close()
	wg.Wait() // a hang here is the bug this test is for
	_, _, _, err := db.StoreMessage(testCtx(t), msg(s, "late", "x"))
	wantCode(t, err, juta.EUNAVAILABLE)
	db.Close() // idempotent
}

func TestStoreMessageCanceledCaller(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	ctx, cancel := context.WithCancel(testCtx(t))
	cancel()
	_, _, _, err := db.StoreMessage(ctx, msg(s, "w1", "x"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled caller got %v", err)
	}
	// The writer is unharmed and the message can still be stored.
	_, ev, inserted, err := db.StoreMessage(testCtx(t), msg(s, "w1", "x"))
	if err != nil || !inserted || ev.Cursor != 1 {
		t.Fatalf("after cancel = %+v %v %v", ev, inserted, err)
	}
}

// Callers that give up mid-flight leave no half-written batch behind: every
// stored message has exactly one event and the cursors stay gapless.
func TestStoreMessageCancellationKeepsLogConsistent(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.MustURL(t)
	db, err := persistence.Open(testCtx(t), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }() // the second handle, too
	s := mustSession(t, db, mustUser(t, db).ID)
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Go(func() {
			for i := range 20 {
				ctx, cancel := context.WithCancel(testCtx(t))
				if i%2 == 0 {
					go cancel() // races with the write on purpose
				}
				_, _, _, err := db.StoreMessage(ctx, msg(s, fmt.Sprintf("w%d-%d", w, i), "x"))
				cancel()
				if err != nil && !errors.Is(err, context.Canceled) {
					t.Errorf("store: %v", err)
				}
			}
		})
	}
	wg.Wait()
	// A caller that gave up returns before its batch ends, and the writers
	// may still commit it: read once they stopped (Close waits for them).
	db.Close()
	db, err = persistence.Open(testCtx(t), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	err = db.Pool().QueryRow(testCtx(t), "SELECT count(*) FROM messages WHERE session_id = $1", s.ID).Scan(&stored)
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	if stored < 320 {
		t.Fatalf("only %d of the 320 uncanceled messages were stored", stored)
	}
	checkGaplessMessageEvents(t, db, s, stored)
}
