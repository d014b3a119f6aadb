package webhook_test

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/webhook"
)

func TestDeliversSignedEventsInOrder(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	sid := mustSession(t, db, uid)
	mustAppend(t, db, uid, sid, juta.EventMessage, 2) // before the webhook: not delivered
	rcv := newReceiver(t)
	wh := mustWebhook(t, db, uid, 0, rcv.srv.URL+"/hook?token=abc")
	evs := mustAppend(t, db, uid, sid, juta.EventMessage, 20)
	startWorker(t, db, nil)

	eventually(t, "20 deliveries", func() bool { return rcv.count() >= 20 })
	got := rcv.deliveries()
	if !slices.Equal(cursors(got), eventCursors(evs)) {
		t.Fatalf("delivered cursors %v, want %v", cursors(got), eventCursors(evs))
	}
	for i, d := range got {
		if err := webhook.Verify(wh.Secret, d.header.Get(webhook.HeaderSignature), d.body, time.Minute, time.Now()); err != nil {
			t.Fatalf("delivery %d: signature: %v", i, err)
		}
		if err := webhook.Verify("whsec_other", d.header.Get(webhook.HeaderSignature), d.body, 0, time.Now()); err == nil {
			t.Fatalf("delivery %d verifies with another secret", i)
		}
		ev := evs[i]
		if d.p.Type != ev.Type || d.p.SessionID != sid || string(d.p.Data) != string(ev.Data) || d.p.ID == 0 {
			t.Fatalf("delivery %d payload %+v, want event %+v", i, d.p, ev)
		}
		if d.header.Get(webhook.HeaderEvent) != ev.Type ||
			d.header.Get(webhook.HeaderCursor) != strconv.FormatInt(ev.Cursor, 10) ||
			d.header.Get(webhook.HeaderDelivery) != strconv.FormatInt(d.p.ID, 10) {
			t.Fatalf("delivery %d headers %v", i, d.header)
		}
	}
	eventually(t, "cursor at the last event", func() bool {
		w, err := db.Webhook(testCtx(t), uid, wh.ID)
		return err == nil && w.Cursor == evs[len(evs)-1].Cursor
	})
}

func TestRetriesUntilTheReceiverRecovers(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	rcv := newReceiver(t)
	failures := 3
	var mu sync.Mutex
	rcv.setRespond(func(delivery) int {
		mu.Lock()
		defer mu.Unlock()
		if failures > 0 {
			failures--
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	mustWebhook(t, db, uid, 0, rcv.srv.URL)
	evs := mustAppend(t, db, uid, 0, "account.test", 3)
	startWorker(t, db, nil)

	eventually(t, "every event delivered", func() bool { return rcv.count() >= 3+len(evs) })
	got := rcv.deliveries()
	// The first event is tried until it succeeds, with the same delivery id;
	// later events wait behind it.
	want := []int64{evs[0].Cursor, evs[0].Cursor, evs[0].Cursor, evs[0].Cursor, evs[1].Cursor, evs[2].Cursor}
	if !slices.Equal(cursors(got), want) {
		t.Fatalf("attempt cursors %v, want %v", cursors(got), want)
	}
	for _, d := range got[1:4] {
		if d.p.ID != got[0].p.ID {
			t.Fatalf("a retry changed the delivery id: %d then %d", got[0].p.ID, d.p.ID)
		}
	}
	if got[4].p.ID == got[0].p.ID {
		t.Fatalf("two events share delivery id %d", got[0].p.ID)
	}
}

func TestDeadLetterAfterMaxAttemptsThenRedeliver(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	rcv := newReceiver(t)
	rcv.setRespond(func(delivery) int { return http.StatusInternalServerError })
	wh := mustWebhook(t, db, uid, 0, rcv.srv.URL)
	evs := mustAppend(t, db, uid, 0, "account.test", 2)
	startWorker(t, db, func(c *webhook.Config) { c.MaxAttempts = 3 })

	var dead juta.Page[juta.WebhookDelivery]
	eventually(t, "two dead letters", func() bool {
		var err error
		dead, err = db.WebhookDeliveries(testCtx(t), uid, wh.ID, juta.DeliveryDead, "", 10)
		return err == nil && len(dead.Items) == 2
	})
	if n := rcv.count(); n != 6 {
		t.Fatalf("receiver got %d attempts, want 3 per event", n)
	}
	// Newest first.
	if dead.Items[0].Cursor != evs[1].Cursor || dead.Items[1].Cursor != evs[0].Cursor {
		t.Fatalf("dead letters %+v", dead.Items)
	}
	for _, d := range dead.Items {
		if d.Attempts != 3 || d.LastStatus != http.StatusInternalServerError || d.LastError != "HTTP 500" {
			t.Fatalf("dead letter %+v", d)
		}
	}
	w, err := db.Webhook(testCtx(t), uid, wh.ID)
	if err != nil || w.Cursor != evs[1].Cursor || w.Attempts != 0 {
		t.Fatalf("webhook after dead letters: %+v, %v", w, err)
	}

	rcv.setRespond(nil)
	target := dead.Items[1]
	q, err := db.Redeliver(testCtx(t), uid, wh.ID, target.ID)
	if err != nil || q.Status != juta.DeliveryQueued {
		t.Fatalf("redeliver: %+v, %v", q, err)
	}
	eventually(t, "redelivery delivered", func() bool {
		p, err := db.WebhookDeliveries(testCtx(t), uid, wh.ID, juta.DeliveryDelivered, "", 10)
		return err == nil && len(p.Items) == 1 && p.Items[0].ID == target.ID
	})
	last := rcv.deliveries()[rcv.count()-1]
	if last.p.ID != target.ID || last.p.Cursor != evs[0].Cursor {
		t.Fatalf("redelivered %+v, want delivery %d of cursor %d", last.p, target.ID, evs[0].Cursor)
	}
	if err := webhook.Verify(wh.Secret, last.header.Get(webhook.HeaderSignature), last.body, time.Minute, time.Now()); err != nil {
		t.Fatalf("redelivery signature: %v", err)
	}
}

func TestSessionWebhookGetsOnlyItsSession(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	s1, s2 := mustSession(t, db, uid), mustSession(t, db, uid)
	rcv := newReceiver(t)
	wh := mustWebhook(t, db, uid, s1, rcv.srv.URL)
	var want []int64
	for range 3 {
		want = append(want, eventCursors(mustAppend(t, db, uid, s1, juta.EventMessage, 1))...)
		mustAppend(t, db, uid, s2, juta.EventMessage, 1)
		mustAppend(t, db, uid, 0, "account.test", 1)
	}
	last := mustAppend(t, db, uid, s2, juta.EventMessage, 1)[0]
	startWorker(t, db, nil)

	eventually(t, "the cursor past every event", func() bool {
		w, err := db.Webhook(testCtx(t), uid, wh.ID)
		return err == nil && w.Cursor == last.Cursor
	})
	if got := cursors(rcv.deliveries()); !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want session %d's %v", got, s1, want)
	}
}

func TestEventFilter(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	sid := mustSession(t, db, uid)
	rcv := newReceiver(t)
	wh := mustWebhook(t, db, uid, 0, rcv.srv.URL, juta.EventMessage, "action.*")
	var want []int64
	for range 2 {
		mustAppend(t, db, uid, sid, juta.EventSessionState, 1)
		want = append(want, eventCursors(mustAppend(t, db, uid, sid, juta.EventMessage, 1))...)
		want = append(want, eventCursors(mustAppend(t, db, uid, sid, "action.created", 1))...)
		mustAppend(t, db, uid, sid, "actions", 1)
	}
	last := mustAppend(t, db, uid, sid, juta.EventSessionQR, 1)[0]
	startWorker(t, db, nil)

	eventually(t, "the cursor past every event", func() bool {
		w, err := db.Webhook(testCtx(t), uid, wh.ID)
		return err == nil && w.Cursor == last.Cursor
	})
	if got := cursors(rcv.deliveries()); !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	target := newReceiver(t)
	rcv := newReceiver(t)
	rcv.srv.Config.Handler = http.RedirectHandler(target.srv.URL, http.StatusTemporaryRedirect)
	wh := mustWebhook(t, db, uid, 0, rcv.srv.URL)
	mustAppend(t, db, uid, 0, "account.test", 1)
	startWorker(t, db, func(c *webhook.Config) { c.MaxAttempts = 2 })

	var dead juta.Page[juta.WebhookDelivery]
	eventually(t, "a dead letter", func() bool {
		var err error
		dead, err = db.WebhookDeliveries(testCtx(t), uid, wh.ID, "", "", 10)
		return err == nil && len(dead.Items) == 1
	})
	if target.count() != 0 {
		t.Fatalf("the redirect target got %d requests", target.count())
	}
	if d := dead.Items[0]; d.LastStatus != http.StatusTemporaryRedirect {
		t.Fatalf("dead letter %+v, want the 307 recorded", d)
	}
}

// A delivery to a port nobody listens on records a fixed phrase, not the
// address dialled.
func TestFailureTextNamesNoAddress(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	wh := mustWebhook(t, db, uid, 0, "http://"+addr+"/in")
	mustAppend(t, db, uid, 0, "account.test", 1)
	startWorker(t, db, func(c *webhook.Config) { c.MaxAttempts = 1 })
	var dead juta.Page[juta.WebhookDelivery]
	eventually(t, "a dead letter", func() bool {
		dead, err = db.WebhookDeliveries(testCtx(t), uid, wh.ID, "", "", 10)
		return err == nil && len(dead.Items) == 1
	})
	if got := dead.Items[0].LastError; got != "connection refused" {
		t.Fatalf("lastError = %q, want %q", got, "connection refused")
	}
}
