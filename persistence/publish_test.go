package persistence_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// logReader reads the log over its own connections: what it sees is
// committed.
type logReader interface {
	EventsAfter(ctx context.Context, uid juta.UserID, after int64, limit int) ([]juta.Event, error)
}

// recorder is a Publisher that checks, at the moment each event is
// published, that another connection already finds it in the log.
type recorder struct {
	mu        sync.Mutex
	log       logReader
	published map[juta.UserID][]int64
	unseen    []string // events published before a reader could see them
}

func (r *recorder) Publish(uid juta.UserID, evs []juta.Event) {
	for _, ev := range evs {
		if ev.UserID != uid {
			r.mu.Lock()
			r.unseen = append(r.unseen, describe(ev))
			r.mu.Unlock()
			continue
		}
		got, err := r.log.EventsAfter(context.Background(), uid, ev.Cursor-1, 1)
		r.mu.Lock()
		if err != nil || len(got) != 1 || got[0].Cursor != ev.Cursor || got[0].Type != ev.Type {
			r.unseen = append(r.unseen, describe(ev))
		}
		r.published[uid] = append(r.published[uid], ev.Cursor)
		r.mu.Unlock()
	}
}

func describe(ev juta.Event) string {
	return fmt.Sprintf("user %d cursor %d %s", ev.UserID, ev.Cursor, ev.Type)
}

func (r *recorder) cursors(uid juta.UserID) []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.published[uid])
}

// Every write that appends to the log publishes each event exactly once,
// after its commit; writes that fail or change nothing publish nothing.
func TestEveryAppendedEventIsPublishedAfterCommit(t *testing.T) {
	t.Parallel()
	rec := &recorder{published: map[juta.UserID][]int64{}}
	db := pgtest.MustOpenDB(t, persistence.WithPublisher(rec))
	rec.log = db
	ctx := testCtx(t)
	owner, grantee := mustUser(t, db), mustUser(t, db)
	sess := mustSession(t, db, owner.ID)
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	m, _, _, err := db.StoreMessage(ctx, msg(sess, "W1", "remind me to pay rent"))
	check("store message", err)
	_, _, _, err = db.StoreMessage(ctx, msg(sess, "W1", "remind me to pay rent")) // a redelivery: no event
	check("store message again", err)
	_, err = db.AppendEvent(ctx, owner.ID, sess.ID, juta.EventSessionQR, []byte(`{}`))
	check("append event", err)
	_, _, err = db.UpdateSession(ctx, owner.ID, sess.ID, juta.SessionUpdate{State: juta.StateConnected})
	check("update session", err)
	past := time.Now().Add(-time.Minute)
	saved, _, _, err := db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionReminder, Title: "Pay rent", DueAt: &past, Confidence: 0.9},
		{Type: juta.ActionReplyNeeded, Title: "Reply", Draft: "ok", Confidence: 0.9}}})
	check("save detection", err)
	_, _, err = db.UpdateAction(ctx, owner.ID, saved[0].ID, juta.ActionUpdate{Status: juta.ActionAccepted})
	check("update action", err)
	_, _, err = db.MarkExecuted(ctx, owner.ID, saved[1].ID)
	check("mark executed", err)
	_, _, err = db.ReleaseExecution(ctx, owner.ID, saved[1].ID, juta.ActionPending)
	check("release execution", err)
	_, _, err = db.ClaimDueActions(ctx, time.Now(), 100, nil)
	check("claim due actions", err)
	_, _, err = db.ShareSession(ctx, owner.ID, sess.ID, grantee.Phone, juta.ShareViewer)
	check("share", err)
	_, err = db.RevokeShare(ctx, owner.ID, sess.ID, grantee.ID)
	check("revoke", err)
	// A refused write appends nothing and publishes nothing.
	if _, err := db.AppendEvent(ctx, grantee.ID, sess.ID, "x", []byte(`{}`)); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("append to another user's session: %v", err)
	}
	_, err = db.DeleteSession(ctx, owner.ID, sess.ID)
	check("delete session", err)

	for _, u := range []juta.User{owner, grantee} {
		logged, err := db.EventsAfter(ctx, u.ID, 0, 1000)
		check("read log", err)
		var want []int64
		for _, ev := range logged {
			want = append(want, ev.Cursor)
		}
		if got := rec.cursors(u.ID); !slices.Equal(got, want) {
			t.Errorf("user %d: published cursors %v, logged %v", u.ID, got, want)
		}
	}
	if len(rec.unseen) > 0 {
		t.Errorf("published before its commit was visible (or to the wrong user): %v", rec.unseen)
	}
	// The owner's log: message, qr, state, 2 created, updated, executed,
	// released, due, deleted.
	if n := len(rec.cursors(owner.ID)); n != 10 {
		t.Errorf("owner: %d events published, want 10", n)
	}
}
