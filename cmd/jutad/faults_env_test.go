package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// faultEnv is a jutad in sim mode whose PostgreSQL and simulator both sit
// behind fault proxies, with linked sessions, a webhook per user and a
// record of every message the contacts sent. The test's own checks read the
// database directly, never through the proxy.
type faultEnv struct {
	t        testing.TB
	dbURL    string // direct
	pg, link *faultProxy
	sim      *proc
	srv      *proc
	extra    []string
	users    []*faultUser
	hooks    *hookReceiver

	mu   sync.Mutex
	sent map[int64]int // messages the phone API accepted, by session
	seq  int
}

type faultUser struct {
	c       *client
	s       session
	owner   string
	contact string
	hookAt  int64 // the webhook's cursor when it was created
	ws      *watcher
}

func newFaultEnv(t testing.TB, dbURL string, sessions int, extra ...string) *faultEnv {
	t.Helper()
	e := &faultEnv{t: t, dbURL: dbURL, sent: map[int64]int{}, hooks: newHookReceiver(t)}
	e.pg = newFaultProxy(t, pgAddr(t, dbURL))
	e.sim = startSimWith(t, "0.02")
	e.link = newFaultProxy(t, e.sim.addr)
	e.extra = append([]string{"JUTA_WEBHOOK_ALLOW_PRIVATE=true", "JUTA_WEBHOOK_RETRY_MAX=2s",
		"JUTA_WEBHOOK_POLL_INTERVAL=200ms"}, extra...)
	if os.Getenv("JUTA_FAULTS_LOGS") != "" {
		e.extra = append(e.extra, "JUTA_LOG_LEVEL=info")
	}
	e.start()
	for i := 0; i < sessions; i++ {
		u := &faultUser{owner: fmt.Sprintf("+6012346%04d", i), contact: fmt.Sprintf("+6012347%04d", i)}
		u.c = registerFrom(t, e.base(), u.owner, i)
		u.s = u.c.link(e.sim.addr, u.owner)
		var wh struct{ Cursor int64 }
		if code := call(t, "POST", e.base()+"/api/webhooks", u.c.token,
			map[string]any{"url": e.hooks.srv.URL + "/" + fmt.Sprint(u.s.ID)}, &wh); code != 201 {
			t.Fatalf("create webhook: %d", code)
		}
		u.hookAt = wh.Cursor
		u.ws = e.watch(u, wh.Cursor)
		e.users = append(e.users, u)
	}
	return e
}

// registerFrom registers phone from loopback address 127.0.0.(2 + i/20), so
// that many accounts stay under the per-address limit of the auth routes.
func registerFrom(t testing.TB, base, phone string, i int) *client {
	t.Helper()
	ip := net.IPv4(127, 0, 0, byte(2+i/20))
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}).DialContext}}
	b, _ := json.Marshal(map[string]string{"phoneNumber": phone, "password": "correct horse 1"})
	res, err := hc.Post(base+"/api/auth/register", "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("register %s: %v", phone, err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("register %s: status %d: %v", phone, res.StatusCode, err)
	}
	hc.CloseIdleConnections()
	return &client{t: t, base: base, token: out.Token}
}

// start runs jutad against the proxies and points every client at it.
func (e *faultEnv) start() {
	srv := startServer(e.t, viaProxy(e.t, e.dbURL, e.pg.Addr()), e.link.Addr(), e.extra...)
	e.mu.Lock()
	e.srv = srv
	e.mu.Unlock()
	for _, u := range e.users {
		u.c.base = e.base()
	}
}

func (e *faultEnv) base() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return "http://" + e.srv.addr
}

// trickle has every contact send to its owner, in turn, every interval until
// the returned stop is called (which waits for the sender to finish).
func (e *faultEnv) trickle(interval time.Duration) (stop func()) {
	return every(interval, func(i int) { e.sendOne(e.users[i%len(e.users)]) })
}

func (e *faultEnv) sendOne(u *faultUser) {
	e.mu.Lock()
	e.seq++
	text := fmt.Sprintf("fault msg %06d: boleh bayar RM%d esok?", e.seq, 10+e.seq%90)
	e.mu.Unlock()
	if postFromContact(e.sim.addr, u.contact, u.owner, text) {
		e.mu.Lock()
		e.sent[u.s.ID]++
		e.mu.Unlock()
	}
}

// sentNow is a snapshot of the messages sent so far, by session.
func (e *faultEnv) sentNow() map[int64]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[int64]int, len(e.sent))
	for k, v := range e.sent {
		out[k] = v
	}
	return out
}

// settle waits until every message sent so far is stored (once) and every
// session is connected, then checks events and webhook deliveries. It
// returns, per session, how long after faultEnd the last message sent before
// faultEnd (atEnd) was stored: the time to heal.
func (e *faultEnv) settle(faultEnd time.Time, atEnd map[int64]int) []time.Duration {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, e.dbURL)
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close(context.Background())
	healed := map[int64]time.Duration{}
	var lastTrace time.Time
	eventually(e.t, 2*time.Minute, "every sent message stored", func() bool {
		all := e.sentNow()
		done := 0
		for _, u := range e.users {
			var n int
			if conn.QueryRow(ctx, `SELECT count(*) FROM messages WHERE session_id = $1 AND NOT from_me`, u.s.ID).Scan(&n) != nil {
				continue
			}
			if _, ok := healed[u.s.ID]; !ok && n >= atEnd[u.s.ID] {
				healed[u.s.ID] = time.Since(faultEnd)
			}
			if n >= all[u.s.ID] {
				done++
			}
		}
		if os.Getenv("JUTA_FAULTS_LOGS") != "" && time.Since(lastTrace) > 500*time.Millisecond {
			lastTrace = time.Now()
			var st map[string]any
			call(e.t, "GET", "http://"+e.sim.addr+"/sim/stats", "", nil, &st)
			e.t.Logf("%v after the fault: %d of %d sessions caught up; simulator %v", time.Since(faultEnd), done, len(e.users), st)
		}
		return done == len(e.users)
	})
	for _, u := range e.users {
		e.checkStoredOnce(ctx, conn, u)
		u.c.waitConnected(u.s.ID)
	}
	e.checkWebhooks(ctx, conn)
	waitHTTP(e.t, e.base()+"/readyz")
	out := make([]time.Duration, 0, len(healed))
	for _, d := range healed {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (e *faultEnv) checkStoredOnce(ctx context.Context, conn *pgx.Conn, u *faultUser) {
	e.t.Helper()
	e.mu.Lock()
	want := e.sent[u.s.ID]
	e.mu.Unlock()
	// Messages the session sent (the sends scenario) have their events too.
	var n, distinct, all, events int
	err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE NOT from_me), count(DISTINCT text) FILTER (WHERE NOT from_me),
		count(*), (SELECT count(*) FROM events WHERE type = 'message' AND session_id = $1)
		FROM messages WHERE session_id = $1`, u.s.ID).Scan(&n, &distinct, &all, &events)
	if err != nil {
		e.t.Fatal(err)
	}
	if n != want || distinct != want || events != all {
		e.t.Fatalf("session %d: %d incoming messages stored (%d distinct), %d events for %d messages; the contact sent %d",
			u.s.ID, n, distinct, events, all, want)
	}
}

// checkWebhooks waits until each user's webhook has received every event
// logged since it was created, and reports duplicates (at least once allows
// them after a crash between the receiver's 2xx and the cursor's move).
func (e *faultEnv) checkWebhooks(ctx context.Context, conn *pgx.Conn) {
	e.t.Helper()
	for _, u := range e.users {
		var logged []int64
		eventually(e.t, 2*time.Minute, fmt.Sprintf("webhook of session %d caught up", u.s.ID), func() bool {
			rows, err := conn.Query(ctx, `SELECT cursor FROM events WHERE user_id = (SELECT user_id FROM wa_sessions WHERE id = $1)
				AND cursor > $2 ORDER BY cursor`, u.s.ID, u.hookAt)
			if err != nil {
				return false
			}
			logged, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			return err == nil && e.hooks.has(u.s.ID, logged)
		})
		deadline := time.Now().Add(time.Minute)
		for {
			missing, _ := u.ws.check(logged)
			if len(missing) == 0 {
				break
			}
			if time.Now().After(deadline) {
				e.t.Fatalf("the WebSocket of session %d never saw cursors %v (%s)", u.s.ID, missing, e.describe(ctx, conn, u, missing))
			}
			time.Sleep(20 * time.Millisecond) // poll interval
		}
		if _, twice := u.ws.check(logged); len(twice) > 0 {
			e.t.Fatalf("the WebSocket of session %d saw cursors %v twice", u.s.ID, twice)
		}
	}
}

// lockMessages holds an exclusive lock on the messages table (a long
// transaction, as a migration or a runaway report would) until release.
func (e *faultEnv) lockMessages(t testing.TB) (release func()) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err == nil {
		_, err = tx.Exec(ctx, "LOCK TABLE messages IN ACCESS EXCLUSIVE MODE")
	}
	if err != nil {
		conn.Close(ctx)
		t.Fatal(err)
	}
	return func() {
		_ = tx.Rollback(ctx)
		conn.Close(ctx)
	}
}

// describe names the types of the given events of u's user.
func (e *faultEnv) describe(ctx context.Context, conn *pgx.Conn, u *faultUser, cursors []int64) string {
	rows, err := conn.Query(ctx, `SELECT cursor::text || ' ' || type FROM events
		WHERE user_id = (SELECT user_id FROM wa_sessions WHERE id = $1) AND cursor = ANY($2) ORDER BY cursor`, u.s.ID, cursors)
	if err != nil {
		return err.Error()
	}
	out, _ := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(out, ", ")
}

// hookReceiver is the users' webhook endpoint: it records the cursors it got,
// by session, and can hold deliveries to let a test kill jutad mid-request.
type hookReceiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  map[int64]map[int64]int // session -> cursor -> deliveries
	hold chan struct{}           // non-nil: requests wait for it to close
	held chan struct{}           // signalled when a request is being held
}

func newHookReceiver(t testing.TB) *hookReceiver {
	h := &hookReceiver{got: map[int64]map[int64]int{}, held: make(chan struct{}, 1)}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) serve(w http.ResponseWriter, r *http.Request) {
	var p struct{ Cursor int64 }
	body, _ := io.ReadAll(r.Body)
	if json.Unmarshal(body, &p) != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	hold := h.hold
	h.mu.Unlock()
	if hold != nil {
		select {
		case h.held <- struct{}{}:
		default:
		}
		<-hold
	}
	var sid int64
	fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/"), &sid)
	h.mu.Lock()
	if h.got[sid] == nil {
		h.got[sid] = map[int64]int{}
	}
	h.got[sid][p.Cursor]++
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookReceiver) has(sid int64, cursors []int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range cursors {
		if h.got[sid][c] == 0 {
			return false
		}
	}
	return true
}

// mostCopies is the largest number of deliveries of any one event.
func (h *hookReceiver) mostCopies() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.got {
		for _, k := range m {
			n = max(n, k)
		}
	}
	return n
}

// duplicates counts deliveries beyond the first of each event.
func (h *hookReceiver) duplicates() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.got {
		for _, k := range m {
			n += k - 1
		}
	}
	return n
}

func pgAddr(t testing.TB, dbURL string) string {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(cfg.Host, "/") {
		t.Skip("the test database is on a Unix socket; the fault proxy needs TCP")
	}
	return net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))
}

// viaProxy rewrites a database URL to reach PostgreSQL through addr.
func viaProxy(t testing.TB, dbURL, addr string) string {
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		u.Host = addr
		q := u.Query()
		q.Del("host")
		q.Del("port")
		u.RawQuery = q.Encode()
		return u.String()
	}
	host, port, _ := net.SplitHostPort(addr)
	return fmt.Sprintf("%s host=%s port=%s", dbURL, host, port)
}

// quantile of sorted durations (q in [0,1]).
func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(q*float64(len(d))))]
}

// holdNext makes deliveries wait until release.
func (h *hookReceiver) holdNext() {
	h.mu.Lock()
	h.hold = make(chan struct{})
	h.mu.Unlock()
}

func (h *hookReceiver) waitHeld(t testing.TB) {
	t.Helper()
	select {
	case <-h.held:
	case <-time.After(30 * time.Second):
		t.Fatal("no webhook delivery to hold")
	}
}

// release lets held deliveries go; the jutad that sent them is gone, so their
// answers reach no one and the events are delivered again.
func (h *hookReceiver) release() {
	h.mu.Lock()
	close(h.hold)
	h.hold = nil
	h.mu.Unlock()
}
