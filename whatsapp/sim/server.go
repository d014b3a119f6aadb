package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// QRFirst is how long the first QR code of a linking attempt is valid
	// (default 60s); QRNext each of the 5 that follow (default 20s).
	QRFirst time.Duration
	QRNext  time.Duration
	// DuplicateRate is the probability (0..1) that an acknowledged message is
	// delivered once more, to exercise the receivers' idempotency.
	DuplicateRate float64
	// History is how many of an account's latest messages a newly linked
	// device receives as a history batch (0: none, the default).
	History int
	// Seed seeds the random source behind DuplicateRate, so runs repeat.
	Seed uint64
	// HandshakeTimeout bounds the wait for a new connection's first frame
	// (default 10s); WriteTimeout bounds each write to a peer (default 5s).
	HandshakeTimeout time.Duration
	WriteTimeout     time.Duration
	// Logger receives the server's logs (default slog.Default()).
	Logger *slog.Logger
	// Token, when set, is the phone API's credential: every route that
	// changes the network's state (each POST: scans, pairing codes, messages,
	// changes, contacts, groups, logouts and devices' uploads) then needs
	// "Authorization: Bearer <Token>" (401 unauthorized otherwise), and
	// devices upload with it (Provider.WithToken). Reads stay open. Empty,
	// the default for tests and the demo, leaves every route open.
	Token string
}

// qrPerAttempt is how many codes a linking attempt shows before it fails.
const qrPerAttempt = 6

func (o Options) withDefaults() Options {
	if o.QRFirst <= 0 {
		o.QRFirst = 60 * time.Second
	}
	if o.QRNext <= 0 {
		o.QRNext = 20 * time.Second
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = 10 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Server is the simulated WhatsApp network. One listening address serves both
// the device protocol and the phone API (HTTP): the first byte of a connection
// tells them apart, so a jutad process and a test driver need one address.
type Server struct {
	opts Options
	log  *slog.Logger

	mu       sync.Mutex
	rng      *rand.Rand
	accounts map[string]*account // by E.164 phone
	devices  map[string]*device  // by device JID
	qrs      map[string]*sconn   // current QR code -> linking connection
	pairs    map[string]*sconn   // pairing code -> linking connection
	conns    map[*sconn]struct{}
	raw      map[net.Conn]struct{} // accepted, protocol not known yet
	lns      []net.Listener
	httpLn   *chanListener
	httpSrv  *http.Server
	closed   bool
	st       Stats
	files    fileStore            // media sent from phones
	groups   map[string]*simGroup // by JID

	wg sync.WaitGroup
}

// Stats are the server's counters, as served by GET /sim/stats.
type Stats struct {
	Connections             int `json:"connections"`
	MaxConnectionsPerDevice int `json:"maxConnectionsPerDevice"`
	Queued                  int `json:"queued"`
	Delivered               int `json:"delivered"`
	Redelivered             int `json:"redelivered"`
	Duplicates              int `json:"duplicates"`
	// Replacements counts connections replaced by a newer one of the same
	// device; AcksOnReplacedConn counts acks that arrived on a connection
	// after it was replaced (a node that lost the account must not ack).
	Replacements       int `json:"replacements"`
	AcksOnReplacedConn int `json:"acksOnReplacedConn"`
	// StaleTokenConnects counts connections opened for an account with a
	// lease token older than the newest one the simulator saw for it: a
	// node that lost the user connected it anyway (see Client's token).
	StaleTokenConnects int `json:"staleTokenConnects"`
}

// NewServer returns a server that listens nowhere yet; see Listen.
func NewServer(opts Options) *Server {
	opts = opts.withDefaults()
	return &Server{
		opts:     opts,
		log:      opts.Logger.With("component", "wa_sim"),
		rng:      rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15)),
		accounts: make(map[string]*account),
		devices:  make(map[string]*device),
		qrs:      make(map[string]*sconn),
		pairs:    make(map[string]*sconn),
		conns:    make(map[*sconn]struct{}),
		raw:      make(map[net.Conn]struct{}),
	}
}

// Listen starts serving on addr (":0" picks a free port) and returns the bound
// address. It may be called more than once.
func (s *Server) Listen(addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim listen %s: %w", addr, err)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return nil, errors.New("sim listen: server closed")
	}
	s.lns = append(s.lns, ln)
	if s.httpSrv == nil {
		s.httpLn = newChanListener(ln.Addr())
		s.httpSrv = &http.Server{Handler: s.PhoneAPI(), ReadHeaderTimeout: s.opts.HandshakeTimeout}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = s.httpSrv.Serve(s.httpLn) // returns on Close
		}()
	}
	s.wg.Add(1)
	s.mu.Unlock()
	go s.acceptLoop(ln)
	return ln.Addr(), nil
}

// Close stops listening, closes every connection (clients see a disconnect)
// and waits for the server's goroutines. Accounts and queues are dropped.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	lns, httpSrv := s.lns, s.httpSrv
	conns := make([]*sconn, 0, len(s.conns))
	for sc := range s.conns {
		conns = append(conns, sc)
		s.endLinkLocked(sc)
	}
	for c := range s.raw {
		c.Close()
	}
	s.mu.Unlock()
	for _, ln := range lns {
		ln.Close()
	}
	if httpSrv != nil {
		httpSrv.Close()
	}
	for _, sc := range conns {
		sc.c.Close()
	}
	s.wg.Wait()
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	st.Connections = len(s.conns)
	return st
}

// DeviceState is one linked device and whether a connection holds it now.
type DeviceState struct {
	Device string `json:"device"`
	Phone  string `json:"phone"`
	Online bool   `json:"online"`
}

// Devices lists every linked device with its state, in device id order, as
// served by GET /sim/devices: tests measure how long a session was offline.
func (s *Server) Devices() []DeviceState {
	s.mu.Lock()
	out := make([]DeviceState, 0, len(s.devices))
	for _, d := range s.devices {
		out = append(out, DeviceState{Device: d.jid, Phone: d.phone, Online: d.conn != nil})
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b DeviceState) int { return strings.Compare(a.Device, b.Device) })
	return out
}

// Serve runs a standalone simulator on addr until ctx ends.
func Serve(ctx context.Context, addr string, opts Options) error {
	s := NewServer(opts)
	bound, err := s.Listen(addr)
	if err != nil {
		return err
	}
	s.log.Info("whatsapp simulator listening", "addr", bound.String())
	<-ctx.Done()
	s.Close()
	return nil
}

func (s *Server) acceptLoop(ln net.Listener) {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of descriptors and the like: back off as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("sim accept failed", "err", err, "retry_in", backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		s.wg.Add(1)
		go s.sniff(c)
	}
}

// sniff routes a connection by its first byte: device frames start with the
// high byte of a length below maxFrame (always 0), HTTP with a method name.
func (s *Server) sniff(c net.Conn) {
	defer s.wg.Done()
	if !s.trackRaw(c) {
		c.Close()
		return
	}
	defer s.untrackRaw(c)
	_ = c.SetReadDeadline(time.Now().Add(s.opts.HandshakeTimeout))
	var first [1]byte
	if _, err := io.ReadFull(c, first[:]); err != nil {
		c.Close()
		return
	}
	if first[0] == 0 {
		s.serveWA(c, io.MultiReader(bytes.NewReader(first[:]), c))
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	if !s.httpLn.push(&prefixConn{Conn: c, r: io.MultiReader(bytes.NewReader(first[:]), c)}) {
		c.Close()
	}
}

// trackRaw remembers a connection for as long as sniff serves it, so that
// Close need not wait for a silent peer's handshake timeout.
func (s *Server) trackRaw(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.raw[c] = struct{}{}
	return true
}

func (s *Server) untrackRaw(c net.Conn) {
	s.mu.Lock()
	delete(s.raw, c)
	s.mu.Unlock()
}

// prefixConn gives back the byte sniff consumed.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (p *prefixConn) Read(b []byte) (int, error) { return p.r.Read(b) }

// chanListener hands sniffed HTTP connections to the http.Server.
type chanListener struct {
	addr net.Addr
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func newChanListener(addr net.Addr) *chanListener {
	return &chanListener{addr: addr, ch: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) push(c net.Conn) bool {
	select {
	case l.ch <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }
