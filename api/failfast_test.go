package api

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// switchHealth is a health verdict the test flips; the probe itself is tested
// against a real outage in persistence and in the fault harness.
type switchHealth struct{ down atomic.Bool }

func (h *switchHealth) Check() error {
	if h.down.Load() {
		return &juta.Error{Code: juta.EUNAVAILABLE, Message: "the database is unreachable; try again shortly", RetryAfter: 3 * time.Second}
	}
	return nil
}

// During an outage /readyz and the /api routes answer 503 unavailable with
// Retry-After at once; liveness and the API document stay up; all is back
// when the database is.
func TestOutageFailsFastWithRetryAfter(t *testing.T) {
	e := newTestEnv(t)
	h := &switchHealth{}
	e.srv.deps.Node.Health = h
	e.srv.SetReady(true)
	auth := bearerHeader(e.alice.token)
	if res := e.do(t, http.MethodGet, "/readyz", nil, ""); res.status != http.StatusOK {
		t.Fatalf("readyz while healthy: %d", res.status)
	}

	h.down.Store(true)
	for _, r := range []struct{ method, url string }{
		{http.MethodGet, "/readyz"}, {http.MethodGet, "/api/status"}, {http.MethodGet, "/api/keys"},
		{http.MethodPost, "/api/auth/login"}, {http.MethodGet, "/api/events"},
	} {
		res := e.do(t, r.method, r.url, auth, "")
		var p problem
		_ = json.Unmarshal(res.body, &p)
		if res.status != http.StatusServiceUnavailable || p.Code != juta.EUNAVAILABLE || res.header.Get("Retry-After") != "3" {
			t.Errorf("%s %s during an outage: %d %q Retry-After %q, want 503 unavailable with Retry-After 3",
				r.method, r.url, res.status, p.Code, res.header.Get("Retry-After"))
		}
	}
	for _, url := range []string{"/healthz", "/api/openapi.json"} {
		if res := e.do(t, http.MethodGet, url, nil, ""); res.status != http.StatusOK {
			t.Errorf("%s during an outage: %d, want 200", url, res.status)
		}
	}

	h.down.Store(false)
	if res := e.do(t, http.MethodGet, "/readyz", nil, ""); res.status != http.StatusOK {
		t.Fatalf("readyz after the outage: %d", res.status)
	}
	if res := e.do(t, http.MethodGet, "/api/keys", auth, ""); res.status != http.StatusOK {
		t.Fatalf("keys after the outage: %d %s", res.status, res.body)
	}
}

// A database that holds a query (here a table lock) delays the answer but
// never past the request deadline: 503 with Retry-After, not a hang.
func TestSlowDatabaseAnswersByTheDeadline(t *testing.T) {
	e := newTestEnv(t)
	key := (&authEnv{testEnv: e}).mustKey(t, e.alice.token, `{"name":"ci","scopes":["read"]}`)
	e.srv.cfg.RequestTimeout = 300 * time.Millisecond

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // the lock goes with the test
	if _, err := tx.Exec(ctx, "LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := make(chan response, 1)
	go func() { done <- e.do(t, http.MethodGet, "/api/status", map[string]string{"X-Api-Key": key}, "") }()
	select {
	case res := <-done:
		if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" {
			t.Fatalf("status behind a held lock: %d Retry-After %q: %s", res.status, res.header.Get("Retry-After"), res.body)
		}
	case <-time.After(30 * time.Second): // a hang, far past the deadline
		t.Fatal("the request hung behind the held lock")
	}
}
