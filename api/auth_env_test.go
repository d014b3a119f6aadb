package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// testClock is real time shifted by an offset tests move forward, so that
// lock-outs, expiries and key retirement can be crossed without waiting.
type testClock struct{ off atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *testClock) advance(d time.Duration) { c.off.Add(int64(d)) }

// authEnv is a server whose signing keys live in the store (no static key),
// on a fresh database, with alice and bob created directly in the store so
// that no rate-limit budget is spent on them.
type authEnv struct {
	*testEnv
	clock *testClock
}

func newAuthEnv(t *testing.T, tweak func(*Config)) *authEnv {
	t.Helper()
	relay := &juta.Relay{}
	db := pgtest.MustOpenDB(t, persistence.WithPublisher(relay))
	clock := &testClock{}
	logs := &syncBuffer{}
	cfg := Config{
		BodyLimit: 64 << 10,
		// Generous: argon2 under -race on a small machine with parallel tests
		// is slow, and no test here is about the request deadline.
		RequestTimeout:   30 * time.Second,
		Logger:           slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Clock:            clock.now,
		NodeID:           "node-a",
		AuthIPLimit:      RateLimit{Burst: 1000, Every: time.Millisecond},
		AuthAccountLimit: RateLimit{Burst: 1000, Every: time.Millisecond},
	}
	if tweak != nil {
		tweak(&cfg)
	}
	rt := newTestRuntime()
	srv := New(cfg, Deps{Runtime: rt, Auth: AuthDeps{Users: db, Credentials: db, APIKeys: db, SigningKeys: db, Admin: db}})
	e := &authEnv{testEnv: &testEnv{srv: srv, db: db, relay: relay, rt: rt, logs: logs}, clock: clock}
	e.alice = e.mustCreate(t, "+60123456789", juta.RoleUser)
	e.bob = e.mustCreate(t, "+60198765432", juta.RoleUser)
	return e
}

// mustCreate stores an account with testPassword and logs it in.
func (e *authEnv) mustCreate(t *testing.T, phone, role string) testUser {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.db.CreateUser(context.Background(), phone, hash, role)
	if err != nil {
		t.Fatalf("create %s: %v", phone, err)
	}
	out := e.mustLogin(t, phone, testPassword)
	return testUser{id: u.ID, phone: phone, token: out.Token}
}

func (e *authEnv) login(t *testing.T, phone, password string) response {
	t.Helper()
	b, _ := json.Marshal(credentials{PhoneNumber: phone, Password: password})
	return e.do(t, http.MethodPost, "/api/auth/login", nil, string(b))
}

func (e *authEnv) mustLogin(t *testing.T, phone, password string) authResponse {
	t.Helper()
	res := e.login(t, phone, password)
	if res.status != http.StatusOK {
		t.Fatalf("login %s: %d %s", phone, res.status, res.body)
	}
	return decodeAuth(t, res)
}

func decodeAuth(t *testing.T, res response) authResponse {
	t.Helper()
	var out authResponse
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatalf("auth response: %v: %s", err, res.body)
	}
	if out.Token == "" || out.RefreshToken == "" || out.ExpiresAt.IsZero() || out.User.ID == 0 {
		t.Fatalf("incomplete auth response: %s", res.body)
	}
	return out
}

func refreshBody(tok string) string {
	b, _ := json.Marshal(refreshRequest{RefreshToken: tok})
	return string(b)
}

// mustSession creates a session in the store and gives the Runtime stand-in
// the same id, so that keys can be bound to it.
func (e *authEnv) mustSession(t *testing.T, uid juta.UserID, name string) juta.Session {
	t.Helper()
	s, err := e.db.CreateSession(context.Background(), uid, name)
	if err != nil {
		t.Fatal(err)
	}
	e.rt.mu.Lock()
	e.rt.nextID = s.ID
	e.rt.mu.Unlock()
	return e.rt.addSession(uid, name, juta.StateConnected)
}

func apiKeyHeader(key string) map[string]string { return map[string]string{auth.HeaderAPIKey: key} }
