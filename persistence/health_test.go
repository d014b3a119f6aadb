package persistence_test

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// gate is a loopback TCP forwarder to PostgreSQL that refuses (closes) new
// connections and cuts live ones while shut.
type gate struct {
	ln       net.Listener
	upstream string
	open     atomic.Bool
	cut      chan struct{}
}

func newGate(t *testing.T, upstream string) *gate {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{ln: ln, upstream: upstream, cut: make(chan struct{})}
	g.open.Store(true)
	t.Cleanup(func() { ln.Close() })
	go g.serve()
	return g
}

func (g *gate) serve() {
	for {
		c, err := g.ln.Accept()
		if err != nil {
			return
		}
		if !g.open.Load() {
			c.Close()
			continue
		}
		go g.pipe(c, g.cut)
	}
}

func (g *gate) pipe(c net.Conn, cut chan struct{}) {
	defer c.Close()
	up, err := net.Dial("tcp", g.upstream)
	if err != nil {
		return
	}
	defer up.Close()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	go func() { <-cut; c.Close(); up.Close() }()
	_, _ = io.Copy(c, up)
}

// shut refuses new connections and cuts the live ones.
func (g *gate) shut() {
	g.open.Store(false)
	close(g.cut)
	g.cut = make(chan struct{})
}

// viaGate rewrites a database URL to go through the gate at addr.
func viaGate(t *testing.T, dbURL, addr string) string {
	host, port, _ := net.SplitHostPort(addr)
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
	return fmt.Sprintf("%s host=%s port=%s", dbURL, host, port)
}

func upstreamOf(t *testing.T, dbURL string) string {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(cfg.Host, "/") {
		t.Skip("the test database is on a Unix socket; the gate needs TCP")
	}
	return net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))
}

func waitCheck(t *testing.T, h *persistence.Health, healthy bool) error {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := h.Check()
		if (err == nil) == healthy {
			return err
		}
		if time.Now().After(deadline) {
			t.Fatalf("health stayed %v, want healthy=%v", err, healthy)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

// The probe reports an outage as EUNAVAILABLE with a Retry-After hint, and
// healthy again once PostgreSQL answers, on its own.
func TestHealthFollowsAnOutage(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	g := newGate(t, upstreamOf(t, dbURL))
	var recovered atomic.Int32
	h, err := persistence.StartHealth(viaGate(t, dbURL, g.ln.Addr().String()),
		persistence.HealthOptions{Interval: 20 * time.Millisecond, OnRecover: func() { recovered.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	waitCheck(t, h, true)

	g.shut()
	err = waitCheck(t, h, false)
	var je *juta.Error
	if juta.ErrorCode(err) != juta.EUNAVAILABLE || !asError(err, &je) || je.RetryAfter <= 0 {
		t.Fatalf("outage reported as %v, want unavailable with a retry hint", err)
	}
	g.open.Store(true)
	waitCheck(t, h, true)
	if n := recovered.Load(); n != 1 {
		t.Fatalf("OnRecover ran %d times for one outage, want 1", n)
	}
}

func asError(err error, target **juta.Error) bool {
	e, ok := err.(*juta.Error)
	*target = e
	return ok
}

// DATABASE_URL may carry the pool's own options (pool_max_conns and the
// like); the probe's connection leaves them out instead of sending them to
// the server, which would refuse to connect and keep the node unready.
func TestHealthTakesTheURLOfThePool(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	g := newGate(t, upstreamOf(t, dbURL))
	g.shut()
	h, err := persistence.StartHealth(withParam(viaGate(t, dbURL, g.ln.Addr().String()), "pool_max_conns", "8"),
		persistence.HealthOptions{Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	waitCheck(t, h, false)
	g.open.Store(true)
	waitCheck(t, h, true)
}
