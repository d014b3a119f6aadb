package api

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// testEnv is a server on a fresh database with two registered users, alice
// and bob, each holding a token.
type testEnv struct {
	srv   *Server
	db    *persistence.DB
	relay *juta.Relay // the database's publisher; unset unless a test sets it
	rt    *testRuntime
	key   []byte
	logs  *syncBuffer
	alice testUser
	bob   testUser
}

type testUser struct {
	id    juta.UserID
	phone string
	token string
}

const testPassword = "correct horse battery"

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	relay := &juta.Relay{}
	db := pgtest.MustOpenDB(t, persistence.WithPublisher(relay))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The key comes from the SecretStore, as the wiring does when no key is configured.
	key, err := db.Secret(ctx, "jwt_signing_key", func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		t.Fatalf("jwt key: %v", err)
	}
	logs := &syncBuffer{}
	rt := newTestRuntime()
	srv := New(Config{
		JWTKey:       key,
		BodyLimit:    64 << 10,
		PingInterval: time.Second,
		Logger:       slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, Deps{Runtime: rt, Data: DataDeps{Messages: rt}, Auth: AuthDeps{Users: db, Credentials: db, APIKeys: db, SigningKeys: db, Admin: db}})
	e := &testEnv{srv: srv, db: db, relay: relay, rt: rt, key: key, logs: logs}
	e.alice = e.mustRegister(t, "+60123456789")
	e.bob = e.mustRegister(t, "+60198765432")
	return e
}

// useActions and useShares wire package app's workflows over the test
// database and the server's Runtime, as cmd/jutad does; a nil shares
// shares nothing.
func (e *testEnv) useActions(shares juta.ShareStore) {
	e.srv.deps.App.Actions = app.NewActions(e.db, shares, e.srv.deps.Runtime, e.srv.log)
}

func (e *testEnv) useShares(store juta.ShareStore) { e.srv.deps.App.Shares = app.NewSharing(store) }

func (e *testEnv) mustRegister(t *testing.T, phone string) testUser {
	t.Helper()
	body := `{"phoneNumber":"` + phone + `","password":"` + testPassword + `"}`
	res := e.do(t, http.MethodPost, "/api/auth/register", nil, body)
	if res.status != http.StatusCreated {
		t.Fatalf("register %s: status %d: %s", phone, res.status, res.body)
	}
	var out authResponse
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatalf("register response: %v", err)
	}
	return testUser{id: out.User.ID, phone: out.User.Phone, token: out.Token}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request through the app in memory.
func (e *testEnv) do(t *testing.T, method, url string, headers map[string]string, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, rd)
	if body != "" {
		req.Header.Set("Content-Type", contentTypeOf(body))
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := e.srv.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// doLive writes one raw HTTP/1.1 request to the server listening on addr
// and reads its answer. A Content-Length in headers is sent as is, so a test
// can announce a body larger than the limit without sending it (a server that
// refuses a body it has not read may reset the connection under the writer).
func doLive(t *testing.T, addr, method, url string, headers map[string]string, body string) response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, url, addr)
	if _, ok := headers["Content-Length"]; !ok {
		fmt.Fprintf(&req, "Content-Length: %d\r\n", len(body))
	}
	for k, v := range headers {
		fmt.Fprintf(&req, "%s: %s\r\n", k, v)
	}
	req.WriteString("\r\n" + body)
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req.String()); err != nil {
		t.Fatalf("write request: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func bearerHeader(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// serve runs the server on a loopback port and returns its address; it is
// shut down at cleanup.
func (e *testEnv) serve(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// eventually is the one polling helper of the tests (pgtest.Eventually).
var eventually = pgtest.Eventually

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
