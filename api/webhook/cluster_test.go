package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta/api/webhook"
)

// Two workers on one database, as two nodes would run them: every event is
// sent exactly once (nothing fails here), never by both at the same time, and
// in order per webhook.
func TestTwoWorkersNeverDeliverTheSameEventTwice(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	var (
		mu       sync.Mutex
		inFlight = map[string]bool{}
		seen     = map[string]int{}
		order    = map[string][]int64{}
	)
	rcv := newReceiver(t)
	rcv.setRespond(func(d delivery) int {
		key := fmt.Sprintf("%s/%d", d.header.Get("X-Test-Hook"), d.p.Cursor)
		mu.Lock()
		if inFlight[key] {
			t.Errorf("event %s is being delivered twice at once", key)
		}
		inFlight[key] = true
		seen[key]++
		mu.Unlock()
		time.Sleep(time.Millisecond) // a receiver doing some work widens any overlap
		mu.Lock()
		delete(inFlight, key)
		mu.Unlock()
		return http.StatusOK
	})
	// The receiver tells webhooks apart by path.
	handler := rcv.srv.Config.Handler
	rcv.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("X-Test-Hook", r.URL.Path)
		handler.ServeHTTP(w, r)
	})

	const hooksPerUser, events = 3, 25
	want := map[string][]int64{}
	for range 2 {
		uid := mustUser(t, db)
		var paths []string
		for i := range hooksPerUser {
			path := fmt.Sprintf("/u%d/h%d", uid, i)
			mustWebhook(t, db, uid, 0, rcv.srv.URL+path)
			paths = append(paths, path)
		}
		evs := mustAppend(t, db, uid, 0, "account.test", events)
		for _, p := range paths {
			want[p] = eventCursors(evs)
		}
	}
	tune := func(c *webhook.Config) { c.Concurrency = 3 }
	startWorker(t, db, tune)
	startWorker(t, db, tune)

	total := 2 * hooksPerUser * events
	eventually(t, "every event delivered", func() bool { return rcv.count() >= total })
	for _, d := range rcv.deliveries() {
		order[d.header.Get("X-Test-Hook")] = append(order[d.header.Get("X-Test-Hook")], d.p.Cursor)
	}
	mu.Lock()
	defer mu.Unlock()
	for key, n := range seen {
		if n != 1 {
			t.Errorf("event %s delivered %d times", key, n)
		}
	}
	for p, cs := range want {
		if !slices.Equal(order[p], cs) {
			t.Errorf("webhook %s got cursors %v, want %v", p, order[p], cs)
		}
	}
}

// Stop interrupts a hanging request, does not count it as an attempt, and
// gives the lease back so another node can carry on at once.
func TestStopReleasesTheClaim(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	rcv := newReceiver(t)
	release := make(chan struct{})
	// Registered after the receiver's Close, so it runs first: the handler
	// hangs until the test ends and the worker must not wait for it.
	t.Cleanup(func() { close(release) })
	rcv.setRespond(func(delivery) int {
		<-release
		return http.StatusOK
	})
	wh := mustWebhook(t, db, uid, 0, rcv.srv.URL)
	mustAppend(t, db, uid, 0, "account.test", 1)
	w := webhook.New(webhook.Config{PollInterval: 10 * time.Millisecond, AllowPrivate: true}, db)
	w.Start()
	eventually(t, "a request in flight", func() bool { return rcv.count() == 1 })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	var locked bool
	var attempts int
	err := db.Pool().QueryRow(ctx, `SELECT locked_until IS NOT NULL, attempts FROM webhooks WHERE id = $1`, wh.ID).
		Scan(&locked, &attempts)
	if err != nil {
		t.Fatalf("read webhook: %v", err)
	}
	if locked || attempts != 0 {
		t.Fatalf("after stop: locked=%v attempts=%d, want the lease released and no attempt counted", locked, attempts)
	}
}
