package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

const waitLimit = 10 * time.Second

// mustRunServer starts a server on a loopback port and closes it at cleanup.
func mustRunServer(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := NewServer(opts)
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, addr.String()
}

// recorder is a WAHandler that keeps every event; accept decides the result
// for messages (nil: store them all).
type recorder struct {
	mu     sync.Mutex
	events []juta.WAEvent
	accept func(juta.WAIncoming) bool
	notify chan struct{}
}

func newRecorder() *recorder { return &recorder{notify: make(chan struct{}, 1)} }

func (r *recorder) handle(ev juta.WAEvent) bool {
	r.mu.Lock()
	r.events = append(r.events, ev)
	accept := r.accept
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
	if in, ok := ev.(juta.WAIncoming); ok && accept != nil {
		return accept(in)
	}
	return true
}

func (r *recorder) setAccept(f func(juta.WAIncoming) bool) {
	r.mu.Lock()
	r.accept = f
	r.mu.Unlock()
}

func (r *recorder) snapshot() []juta.WAEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]juta.WAEvent(nil), r.events...)
}

// waitFor blocks until pred holds for the events seen so far, or fails.
func (r *recorder) waitFor(t testing.TB, what string, pred func([]juta.WAEvent) bool) []juta.WAEvent {
	t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		evs := r.snapshot()
		if pred(evs) {
			return evs
		}
		select {
		case <-r.notify:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; events: %s", what, describe(evs))
		}
	}
}

// waitCount waits for n events of type T and returns them.
func waitCount[T juta.WAEvent](t testing.TB, r *recorder, n int) []T {
	t.Helper()
	var zero T
	evs := r.waitFor(t, fmt.Sprintf("%d %T", n, zero), func(evs []juta.WAEvent) bool {
		return len(ofType[T](evs)) >= n
	})
	return ofType[T](evs)
}

func ofType[T juta.WAEvent](evs []juta.WAEvent) []T {
	var out []T
	for _, ev := range evs {
		if e, ok := ev.(T); ok {
			out = append(out, e)
		}
	}
	return out
}

func describe(evs []juta.WAEvent) string {
	var b bytes.Buffer
	for _, ev := range evs {
		fmt.Fprintf(&b, "%T ", ev)
	}
	return b.String()
}

// eventually is the one polling helper of the tests (pgtest.Eventually).
var eventually = pgtest.Eventually

func newClient(t testing.TB, addr, jid string, r *recorder) *Client {
	t.Helper()
	c, err := NewProvider(addr).NewClient(context.Background(), 1, jid, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	return c.(*Client)
}

func mustConnect(t testing.TB, c *Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := c.Connect(ctx); err != nil {
		t.Fatalf("connect: %v", err)
	}
}

// linkDevice links a new device of phone by scanning its first QR code and
// returns the connected client.
func linkDevice(t testing.TB, s *Server, addr, phone string) (*Client, *recorder) {
	t.Helper()
	r := newRecorder()
	c := newClient(t, addr, "", r)
	mustConnect(t, c)
	qr := waitCount[juta.WAQR](t, r, 1)[0]
	if _, err := s.ScanQR(phone, qr.Code); err != nil {
		t.Fatalf("scan: %v", err)
	}
	waitCount[juta.WAConnected](t, r, 1)
	return c, r
}

// reconnect connects a new client for an existing device.
func reconnect(t testing.TB, addr, jid string) (*Client, *recorder) {
	t.Helper()
	r := newRecorder()
	c := newClient(t, addr, jid, r)
	mustConnect(t, c)
	return c, r
}

// call makes a phone API request and decodes the JSON answer.
func call(t testing.TB, addr, method, path, body string) (int, http.Header, map[string]any) {
	t.Helper()
	return callWith(t, addr, method, path, body, nil)
}

// callWith is call with request headers.
func callWith(t testing.TB, addr, method, path, body string, headers map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+addr+path, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: decode: %v", method, path, err)
	}
	return res.StatusCode, res.Header, out
}

func sendFrom(t testing.TB, s *Server, from, to, text string) string {
	t.Helper()
	id, err := s.SendFromPhone(from, to, text)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
