package main

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// faultProxy is a fault-injecting TCP proxy on loopback, between jutad and a
// dependency (PostgreSQL, the simulator). It can take the dependency down
// (live connections reset, new ones reset at once), add latency to
// everything the dependency sends, or reset every live connection once.
type faultProxy struct {
	t        testing.TB
	ln       net.Listener
	upstream string

	mu      sync.Mutex
	down    bool
	latency time.Duration
	conns   map[net.Conn]struct{} // both ends of every live pair
}

func newFaultProxy(t testing.TB, upstream string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, ln: ln, upstream: upstream, conns: map[net.Conn]struct{}{}}
	t.Cleanup(func() { ln.Close(); p.resetAll() })
	go p.serve()
	return p
}

// Addr is where jutad connects instead of the dependency.
func (p *faultProxy) Addr() string { return p.ln.Addr().String() }

// Down resets every live connection and refuses new ones until Up.
func (p *faultProxy) Down() {
	p.mu.Lock()
	p.down = true
	p.mu.Unlock()
	p.resetAll()
}

// Up lets connections through again.
func (p *faultProxy) Up() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// SetLatency delays every chunk the dependency sends by d (0 = none), for
// live connections and new ones alike.
func (p *faultProxy) SetLatency(d time.Duration) {
	p.mu.Lock()
	p.latency = d
	p.mu.Unlock()
}

// resetAll cuts every live connection with a TCP reset.
func (p *faultProxy) resetAll() {
	p.mu.Lock()
	conns := p.conns
	p.conns = map[net.Conn]struct{}{}
	p.mu.Unlock()
	for c := range conns {
		reset(c)
	}
}

func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close sends RST, as a crashed peer's kernel would
	}
	c.Close()
}

func (p *faultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *faultProxy) handle(c net.Conn) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		reset(c)
		return
	}
	up, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
	if err != nil {
		reset(c)
		return
	}
	if !p.track(c, up) {
		return
	}
	go func() { _, _ = io.Copy(up, c); p.closePair(c, up) }()
	p.copyDelayed(c, up)
	p.closePair(c, up)
}

// track registers a pair, unless the proxy went down meanwhile.
func (p *faultProxy) track(c, up net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		reset(c)
		reset(up)
		return false
	}
	p.conns[c], p.conns[up] = struct{}{}, struct{}{}
	return true
}

func (p *faultProxy) closePair(c, up net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
	c.Close()
	up.Close()
}

// copyDelayed forwards what the dependency sends, each chunk held until the
// latency in force has passed since it was read; chunks keep their order.
func (p *faultProxy) copyDelayed(dst, src net.Conn) {
	type chunk struct {
		due  time.Time
		data []byte
	}
	ch := make(chan chunk, 64)
	go func() {
		defer close(ch)
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				p.mu.Lock()
				d := p.latency
				p.mu.Unlock()
				ch <- chunk{time.Now().Add(d), append([]byte(nil), buf[:n]...)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range ch {
		time.Sleep(time.Until(c.due)) // the injected fault itself, not synchronisation
		if _, err := dst.Write(c.data); err != nil {
			src.Close()
			for range ch { // let the reader end
			}
			return
		}
	}
}
