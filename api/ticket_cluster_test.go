package api

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// serveOther runs srv (another node of the same cluster) on a loopback port.
func serveOther(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return ln.Addr().String()
}

// Cluster mode: two API servers on one database share WebSocket tickets. A
// ticket issued on node A opens one socket on node B, and is refused a second
// time on either node; of two nodes redeeming one ticket at once exactly one
// gets it; an account's ticket cap counts its tickets on every node.
func TestTicketsAcrossNodes(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, func(c *Config) { c.Limits.Tickets = 3 })
	e.srv.deps.Stream.Tickets = e.db
	b := New(e.srv.cfg, e.srv.deps)
	addrA, addrB := e.serve(t), serveOther(t, b)
	alice := bearerHeader(e.alice.token)

	ticket := e.mustTicket(t, alice)
	conn := mustDialWS(t, addrB, "?ticket="+ticket, nil)
	_ = conn.Close()
	for name, addr := range map[string]string{"A": addrA, "B": addrB} {
		_, res, err := dialWS(t, addr, "?ticket="+ticket, nil)
		if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("second use on node %s: err %v, response %+v; want 401", name, err, res)
		}
	}

	ticket = e.mustTicket(t, alice)
	var wg sync.WaitGroup
	var mu sync.Mutex
	opened := 0
	for _, addr := range []string{addrA, addrB} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _, err := dialWS(t, addr, "?ticket="+ticket, nil)
			if err == nil {
				_ = c.Close()
				mu.Lock()
				opened++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if opened != 1 {
		t.Fatalf("one ticket redeemed at once on two nodes opened %d sockets, want 1", opened)
	}

	// The cap: three unredeemed tickets, issued on both nodes; a fourth is refused.
	e.mustTicket(t, alice)
	e.mustTicket(t, alice)
	if res := doOn(t, addrB, http.MethodPost, "/api/ws-ticket", e.alice.token); res != http.StatusCreated {
		t.Fatalf("third ticket on B: %d", res)
	}
	if res := doOn(t, addrB, http.MethodPost, "/api/ws-ticket", e.alice.token); res != http.StatusTooManyRequests {
		t.Fatalf("fourth ticket on B: %d, want 429", res)
	}
}

// doOn sends a bodyless request with a bearer token to a served node and
// returns its status.
func doOn(t *testing.T, addr, method, path, token string) int {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	return res.StatusCode
}
