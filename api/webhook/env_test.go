package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/webhook"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}

var phoneSeq atomic.Int64

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func mustUser(t *testing.T, db *persistence.DB) juta.UserID {
	t.Helper()
	u, err := db.CreateUser(testCtx(t), fmt.Sprintf("+6013%07d", phoneSeq.Add(1)), "hash", juta.RoleUser)
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u.ID
}

func mustSession(t *testing.T, db *persistence.DB, uid juta.UserID) juta.SessionID {
	t.Helper()
	s, err := db.CreateSession(testCtx(t), uid, "phone")
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return s.ID
}

func mustWebhook(t *testing.T, db *persistence.DB, uid juta.UserID, sid juta.SessionID, url string, events ...string) juta.Webhook {
	t.Helper()
	if len(events) == 0 {
		events = []string{juta.WebhookAllEvents}
	}
	w, err := db.CreateWebhook(testCtx(t), uid, juta.Webhook{
		URL: url, Events: events, SessionID: sid, Secret: webhook.NewSecret(),
	})
	if err != nil {
		t.Fatalf("create webhook: %v", err)
	}
	return w
}

func mustAppend(t *testing.T, db *persistence.DB, uid juta.UserID, sid juta.SessionID, typ string, n int) []juta.Event {
	t.Helper()
	var evs []juta.Event
	for i := range n {
		ev, err := db.AppendEvent(testCtx(t), uid, sid, typ, []byte(fmt.Sprintf(`{"n":%d}`, i)))
		if err != nil {
			t.Fatalf("append event: %v", err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// startWorker runs a worker with fast test timings; it is stopped at cleanup.
func startWorker(t *testing.T, db *persistence.DB, tune func(*webhook.Config)) *webhook.Worker {
	t.Helper()
	cfg := webhook.Config{
		MaxAttempts: 8, Timeout: 5 * time.Second, BaseDelay: 5 * time.Millisecond, MaxDelay: 40 * time.Millisecond,
		PollInterval: 10 * time.Millisecond, AllowPrivate: true,
	}
	if tune != nil {
		tune(&cfg)
	}
	w := webhook.New(cfg, db)
	w.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := w.Stop(ctx); err != nil {
			t.Errorf("stop worker: %v", err)
		}
	})
	return w
}

// delivery is one request a receiver got.
type delivery struct {
	header http.Header
	body   []byte
	p      struct {
		ID        int64           `json:"id"`
		Cursor    int64           `json:"cursor"`
		Type      string          `json:"type"`
		SessionID juta.SessionID  `json:"sessionId"`
		Data      json.RawMessage `json:"data"`
		CreatedAt time.Time       `json:"createdAt"`
	}
}

// receiver is a local endpoint that records every request and answers with
// what respond returns (200 when nil).
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	got     []delivery
	respond func(d delivery) int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var d delivery
		d.header = req.Header.Clone()
		d.body, _ = io.ReadAll(req.Body)
		if err := json.Unmarshal(d.body, &d.p); err != nil {
			t.Errorf("receiver: body is not the payload: %v", err)
		}
		r.mu.Lock()
		r.got = append(r.got, d)
		respond := r.respond
		r.mu.Unlock()
		status := http.StatusOK
		if respond != nil {
			status = respond(d)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) setRespond(f func(d delivery) int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.respond = f
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// eventually is the one polling helper of the tests (pgtest.Eventually).
var eventually = pgtest.Eventually

func cursors(ds []delivery) []int64 {
	out := make([]int64, len(ds))
	for i, d := range ds {
		out[i] = d.p.Cursor
	}
	return out
}

func eventCursors(evs []juta.Event) []int64 {
	out := make([]int64, len(evs))
	for i, ev := range evs {
		out[i] = ev.Cursor
	}
	return out
}

func mustDB(t *testing.T) *persistence.DB {
	t.Helper()
	return pgtest.MustOpenDB(t)
}
