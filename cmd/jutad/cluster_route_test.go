//go:build cluster

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// otherNode returns a node of e other than name.
func (e *clusterEnv) otherNode(name string) string {
	for n := range e.nodes {
		if n != name {
			return n
		}
	}
	e.t.Fatalf("no node besides %s", name)
	return ""
}

// waitOwner waits until sid's user is held by a node and returns it.
func (e *clusterEnv) waitOwner(sid int64) string {
	e.t.Helper()
	var node string
	eventually(e.t, 20*time.Second, fmt.Sprintf("session %d's user placed", sid), func() bool {
		node = e.owner(sid)
		return node != ""
	})
	return node
}

// Requests on a node that does not hold the user are answered by the node
// that does, over protoactor remote: a session is created, shows its QR
// code, is linked, lists, sends and is renamed, each through the other node,
// and the user never leaves its holder.
func TestClusterRequestsOnAnyNode(t *testing.T) {
	e := newClusterEnv(t, 2, 0)
	const phone = "+60123580001"
	first := register(t, "http://"+e.nodes["node-0"].addr, phone)
	var s session
	if code := call(t, "POST", first.base+"/api/sessions", first.token, map[string]string{"name": "shop"}, &s); code != 201 {
		t.Fatalf("create session on node-0: status %d", code)
	}
	owner := e.waitOwner(s.ID)
	other := e.otherNode(owner)
	c := &client{t: t, base: "http://" + e.nodes[other].addr, token: first.token}
	t.Logf("user held by %s, requests on %s", owner, other)

	var qr struct {
		Code string `json:"qr"`
	}
	eventually(t, 10*time.Second, "a QR code through the other node", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/qr", c.base, s.ID), c.token, nil, &qr) == 200
	})
	if code := call(t, "POST", phoneURL(e.sim.addr, phone, "scan"), "", map[string]string{"qr": qr.Code}, nil); code != 200 {
		t.Fatalf("scan: status %d", code)
	}
	c.waitConnected(s.ID)

	var list struct{ Items []session }
	if code := call(t, "GET", c.base+"/api/sessions", c.token, nil, &list); code != 200 || len(list.Items) != 1 ||
		list.Items[0].State != "connected" {
		t.Fatalf("list through %s: status %d, %+v", other, code, list)
	}
	if code, body := c.sendAs(s.ID, "", map[string]string{"to": "+60123580002", "text": "hello from the other node"}); code != 201 {
		t.Fatalf("send through %s: status %d: %s", other, code, body)
	}
	var renamed struct{ Name string }
	if code := call(t, "PATCH", fmt.Sprintf("%s/api/sessions/%d", c.base, s.ID), c.token,
		map[string]string{"name": "kedai"}, &renamed); code != 200 || renamed.Name != "kedai" {
		t.Fatalf("rename through %s: status %d, %+v", other, code, renamed)
	}
	var second session
	if code := call(t, "POST", c.base+"/api/sessions", c.token, map[string]string{"name": "two"}, &second); code != 201 {
		t.Fatalf("create a second session through %s: status %d", other, code)
	}
	if now := e.owner(s.ID); now != owner {
		t.Fatalf("the user moved from %s to %q", owner, now)
	}
}

// poller is a client that reads one user's session on one node again and
// again, waiting as long as a 503's Retry-After says, and records the
// longest run of 503s in a row and any other failure.
type poller struct {
	node, url, token string
	mu               sync.Mutex
	run, maxRun, ok  int
	failures         []string
}

func (p *poller) loop(stop <-chan struct{}) {
	hc := &http.Client{Timeout: 15 * time.Second}
	for {
		wait := 50 * time.Millisecond // request pace
		req, _ := http.NewRequest("GET", p.url, nil)
		req.Header.Set("Authorization", "Bearer "+p.token)
		res, err := hc.Do(req)
		if err != nil {
			return // the node is down: its clients go elsewhere
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		p.mu.Lock()
		switch res.StatusCode {
		case http.StatusOK:
			p.ok++
			p.run = 0
		case http.StatusServiceUnavailable:
			p.run++
			p.maxRun = max(p.maxRun, p.run)
			secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if err != nil || secs < 1 {
				p.failures = append(p.failures, "503 without Retry-After")
			}
			wait = time.Duration(secs) * time.Second
		default:
			p.failures = append(p.failures, fmt.Sprintf("status %d", res.StatusCode))
		}
		p.mu.Unlock()
		select {
		case <-stop:
			return
		case <-time.After(wait): // the client's own pace, not a synchronisation
		}
	}
}

// Clients on every node and a WebSocket on a node that does not hold its
// user, while the user's node is killed: requests for any user on any live
// node succeed, with at most one 503 (with Retry-After) in a row during the
// failover; the socket receives cursors 1..N exactly once, before and after
// the user moved.
func TestClusterStreamsAndRequestsAcrossAKill(t *testing.T) {
	e := newClusterEnv(t, 3, 6)
	watched := e.users[0]
	victim := e.waitOwner(watched.s.ID)
	far := e.otherNode(victim)
	viewer := &client{t: t, base: "http://" + e.nodes[far].addr, token: watched.c.token}
	sock := viewer.openSocket(t)

	stopPolls := make(chan struct{})
	var polls []*poller
	var wg sync.WaitGroup
	for name, n := range e.nodes {
		for _, u := range e.users {
			p := &poller{node: name, url: fmt.Sprintf("http://%s/api/sessions/%d", n.addr, u.s.ID), token: u.c.token}
			polls = append(polls, p)
			wg.Add(1)
			go func() { defer wg.Done(); p.loop(stopPolls) }()
		}
	}
	stop := e.trickle(50 * time.Millisecond)
	e.waitSent(30)
	e.nodes[victim].kill(syscall.SIGKILL)
	killed := time.Now()
	eventually(t, 60*time.Second, "the watched session connected on a survivor", func() bool {
		return e.connectedOnOwner(watched, victim)
	})
	t.Logf("figure: the watched user connected elsewhere %v after SIGKILL", time.Since(killed).Round(100*time.Millisecond))
	e.waitSent(30)
	stop()
	close(stopPolls)
	wg.Wait()
	e.checkStoredOnce()

	var uid, last int64
	if err := e.db.QueryRow(context.Background(), `SELECT user_id FROM wa_sessions WHERE id = $1`, watched.s.ID).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the socket on "+far+" caught up with the log", func() bool {
		if err := e.db.QueryRow(context.Background(), `SELECT coalesce(max(cursor), 0) FROM events WHERE user_id = $1`, uid).Scan(&last); err != nil {
			t.Fatal(err)
		}
		sock.mu.Lock()
		defer sock.mu.Unlock()
		return len(sock.cursors) >= int(last)
	})
	if ok, got := sock.exact(); !ok || len(got) > 0 {
		t.Fatalf("socket on %s: cursors not 1..%d exactly once: %v", far, last, got)
	}
	worst := 0
	for _, p := range polls {
		if p.node == victim {
			continue
		}
		if len(p.failures) > 0 || p.ok == 0 {
			t.Fatalf("client of %s on %s: %d answered, failures %v", p.url, p.node, p.ok, p.failures)
		}
		worst = max(worst, p.maxRun)
	}
	t.Logf("figure: socket received %d cursors exactly once; longest run of 503s of a client: %d", last, worst)
	if worst > 1 {
		t.Fatalf("a client got %d retryable 503s in a row, want at most 1", worst)
	}
}
