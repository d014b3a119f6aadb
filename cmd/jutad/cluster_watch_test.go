//go:build cluster

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// sessionWatch follows, every 100 ms, which node holds each session's user
// (the lease table) and whether the simulator has a connection for its
// device, and records every stretch a session spent offline.
type sessionWatch struct {
	e        *clusterEnv
	mu       sync.Mutex
	owner    map[int64]string // by session: the live lease's node, "" between holders
	last     map[int64]string // by session: the last node seen holding it
	moves    map[int64]int    // by session: how often its holder changed
	offSince map[int64]time.Time
	outages  []time.Duration // finished offline stretches, of every session
	stop     func()
}

func (e *clusterEnv) watchSessions() *sessionWatch {
	e.t.Helper()
	conn, err := pgx.Connect(context.Background(), e.dbURL)
	if err != nil {
		e.t.Fatal(err)
	}
	w := &sessionWatch{e: e, owner: map[int64]string{}, last: map[int64]string{}, moves: map[int64]int{},
		offSince: map[int64]time.Time{}}
	bySID := map[string]int64{}
	for _, u := range e.users {
		bySID[u.s.DeviceJID] = u.s.ID
	}
	w.poll(conn, bySID)
	w.stop = every(100*time.Millisecond, func(int) { w.poll(conn, bySID) })
	e.t.Cleanup(func() {
		w.stop()
		conn.Close(context.Background())
	})
	return w
}

func (w *sessionWatch) poll(conn *pgx.Conn, bySID map[string]int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := conn.Query(ctx, `SELECT s.id, coalesce(l.node, '') FROM wa_sessions s
		LEFT JOIN leases l ON l.user_id = s.user_id AND l.expires_at > now()`)
	if err != nil {
		return
	}
	owners := map[int64]string{}
	for rows.Next() {
		var sid int64
		var node string
		if rows.Scan(&sid, &node) == nil {
			owners[sid] = node
		}
	}
	rows.Close()
	var devs struct {
		Items []struct {
			Device string
			Online bool
		}
	}
	if code := callQuiet(http.MethodGet, "http://"+w.e.sim.addr+"/sim/devices", &devs); code != http.StatusOK {
		return
	}
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range devs.Items {
		sid, ok := bySID[d.Device]
		if !ok {
			continue
		}
		node := owners[sid]
		w.owner[sid] = node
		if node != "" {
			if prev := w.last[sid]; prev != "" && prev != node {
				w.moves[sid]++
			}
			w.last[sid] = node
		}
		online := d.Online && node != ""
		since, off := w.offSince[sid]
		switch {
		case !online && !off:
			w.offSince[sid] = now
		case online && off:
			w.outages = append(w.outages, now.Sub(since))
			delete(w.offSince, sid)
		}
	}
}

// holder is the node to send a session's requests to: the lease's holder,
// or between holders the last one seen.
func (w *sessionWatch) holder(sid int64) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if n := w.owner[sid]; n != "" {
		return n
	}
	return w.last[sid]
}

// allOnline tells whether every watched session is connected on a holder.
func (w *sessionWatch) allOnline() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.owner) == len(w.e.users) && len(w.offSince) == 0
}

// moved counts the sessions whose holder changed at least once.
func (w *sessionWatch) moved() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.moves)
}

// report logs the offline stretches' count and percentiles.
func (w *sessionWatch) report(what string) {
	w.mu.Lock()
	d := slices.Clone(w.outages)
	w.mu.Unlock()
	if len(d) == 0 {
		w.e.t.Logf("figure: %s: no session was offline", what)
		return
	}
	slices.Sort(d)
	pct := func(p float64) time.Duration {
		return d[min(len(d)-1, int(p*float64(len(d))))].Round(10 * time.Millisecond)
	}
	w.e.t.Logf("figure: %s: %d offline stretches, p50 %v, p99 %v, max %v", what, len(d), pct(0.5), pct(0.99), d[len(d)-1].Round(10*time.Millisecond))
}

// loads counts the live leases of each live node.
func (e *clusterEnv) loads() map[string]int {
	e.t.Helper()
	rows, err := e.db.Query(context.Background(), `SELECT n.node, count(l.user_id) FROM lease_nodes n
		LEFT JOIN leases l ON l.node = n.node AND l.incarnation = n.incarnation AND l.expires_at > now()
		WHERE n.expires_at > now() GROUP BY n.node`)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]int{}
	for rows.Next() {
		var node string
		var n int
		if err := rows.Scan(&node, &n); err != nil {
			e.t.Fatal(err)
		}
		out[node] = n
	}
	rows.Close()
	return out
}

// balanced tells whether no live node holds more than 1.3x the mean.
func balanced(loads map[string]int) bool {
	total := 0
	for _, n := range loads {
		total += n
	}
	for _, n := range loads {
		if float64(n) > 1.3*float64(total)/float64(len(loads)) {
			return false
		}
	}
	return len(loads) > 0
}

// requests asks for each user's session, two requests every interval, each
// on the next live node round robin (the fourth node too once it has
// joined), as a load balancer unaware of placement would: a node that does
// not hold the user forwards the request to its holder. It counts the
// answers by status (0: no answer).
type requestLoad struct {
	mu    sync.Mutex
	codes map[int]int
	stop  func()
}

func (e *clusterEnv) requests(interval time.Duration) *requestLoad {
	r := &requestLoad{codes: map[int]int{}}
	hc := &http.Client{Timeout: 10 * time.Second}
	ask := func(i int) {
		u := e.users[i%len(e.users)]
		code := 0
		if p := e.roundRobin(i); p != nil {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://%s/api/sessions/%d", p.addr, u.s.ID), nil)
			req.Header.Set("Authorization", "Bearer "+u.c.token)
			if res, err := hc.Do(req); err == nil {
				code = res.StatusCode
				res.Body.Close()
			}
		}
		r.mu.Lock()
		r.codes[code]++
		r.mu.Unlock()
	}
	half := len(e.users) / 2
	stop1 := every(interval, func(i int) { ask(i) })
	stop2 := every(interval, func(i int) { ask(i + half) })
	r.stop = sync.OnceFunc(func() { stop1(); stop2() })
	e.t.Cleanup(r.stop)
	return r
}

// roundRobin is the i-th node, round robin over the running nodes by name.
func (e *clusterEnv) roundRobin(i int) *proc {
	e.nmu.Lock()
	defer e.nmu.Unlock()
	names := slices.Sorted(maps.Keys(e.nodes))
	if len(names) == 0 {
		return nil
	}
	return e.nodes[names[i%len(names)]]
}

// check stops the load and fails unless at most maxFailed of the requests
// failed, each with 503.
func (r *requestLoad) check(t *testing.T, maxFailed float64) {
	t.Helper()
	r.stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	total, failed := 0, 0
	for code, n := range r.codes {
		total += n
		if code != http.StatusOK {
			failed += n
		}
	}
	t.Logf("figure: %d client requests, %d failed (%.2f%%): %v", total, failed, 100*float64(failed)/float64(max(total, 1)), r.codes)
	for code := range r.codes {
		if code != http.StatusOK && code != http.StatusServiceUnavailable {
			t.Fatalf("requests answered %d: %v", code, r.codes)
		}
	}
	if float64(failed) > maxFailed*float64(total) {
		t.Fatalf("%d of %d requests failed, more than %.1f%%", failed, total, 100*maxFailed)
	}
}

// callQuiet is call for goroutines that must not fail the test: it returns
// 0 when there is no answer.
func callQuiet(method, url string, out any) int {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return 0
	}
	res, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK && out != nil {
		if json.NewDecoder(res.Body).Decode(out) != nil {
			return 0
		}
	}
	return res.StatusCode
}
