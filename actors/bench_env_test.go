package actors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/jackc/pgx/v5/pgxpool"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
	"github.com/juta-app/juta/whatsapp/sim"
)

// benchEnv is a runtime on a real database and a simulator for benchmarks:
// unlike the test harness it works with *testing.B and links sessions in bulk.
type benchEnv struct {
	tb     testing.TB
	db     *benchDB
	cfg    Config
	wa     juta.WAProvider
	scan   func(phone, code string) error
	system *actor.ActorSystem
	rt     *Runtime
	// webhooks gives every new user a webhook first, which makes its
	// sessions always on (the default for webhook consumers).
	webhooks bool
}

// linked is one session linked by a benchmark.
type linked struct {
	uid   juta.UserID
	sid   juta.SessionID
	phone string
}

func newBenchEnv(tb testing.TB, db *benchDB, cfg Config, wa juta.WAProvider, scan func(phone, code string) error) *benchEnv {
	e := &benchEnv{tb: tb, db: db, cfg: cfg, wa: wa, scan: scan}
	e.startRuntime()
	return e
}

// openBenchDB opens a fresh migrated database with a pool of conns
// connections, all opened up front so that they are not counted as the cost
// of whatever the benchmark measures next. A larger pool than the default
// lets bulk linking overlap its commits.
// benchDB is a benchmark's database and its publisher, which the running
// runtime is set as.
type benchDB struct {
	*persistence.DB
	relay *juta.Relay
}

func openBenchDB(tb testing.TB, conns int) *benchDB {
	tb.Helper()
	dbURL := pgtest.MustURL(tb)
	if strings.Contains(dbURL, "://") {
		sep := "?"
		if strings.Contains(dbURL, "?") {
			sep = "&"
		}
		dbURL += sep + "pool_max_conns=" + strconv.Itoa(conns)
	} else {
		dbURL += " pool_max_conns=" + strconv.Itoa(conns)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	relay := &juta.Relay{}
	db, err := persistence.Open(ctx, dbURL, persistence.WithPublisher(relay))
	if err != nil {
		tb.Fatalf("open bench database: %v", err)
	}
	tb.Cleanup(db.Close) // registered after MustURL's drop, so it runs first
	var held []*pgxpool.Conn
	for range conns {
		c, err := db.Pool().Acquire(ctx)
		if err != nil {
			tb.Fatalf("warm the pool: %v", err)
		}
		held = append(held, c)
	}
	for _, c := range held {
		c.Release()
	}
	return &benchDB{DB: db, relay: relay}
}

// inProcessSim starts a simulator on loopback in this process with no
// duplicate deliveries (benchmarks count every message once).
func inProcessSim(tb testing.TB) (*sim.Server, string) {
	srv := sim.NewServer(sim.Options{QRFirst: time.Minute, QRNext: 20 * time.Second, Logger: quietLog()})
	addr, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	return srv, addr.String()
}

func inProcessScan(srv *sim.Server) func(phone, code string) error {
	return func(phone, code string) error {
		_, err := srv.ScanQR(phone, code)
		return err
	}
}

func (e *benchEnv) startRuntime() {
	e.system = NewSystem(quietLog())
	deps := Deps{Sessions: e.db, Messages: e.db, Events: e.db, WhatsApp: e.wa, Log: quietLog()}
	if os.Getenv("JUTA_BENCH_DETECT") == "1" { // the ingest path with action detection on
		deps.Actions, deps.Detector = e.db, ai.NewRules(ai.Options{})
	}
	e.rt = New(e.system, e.cfg, deps)
	if err := e.rt.Start(context.Background()); err != nil {
		e.tb.Fatal(err)
	}
	e.db.relay.Set(e.rt)
	rt, system := e.rt, e.system
	e.tb.Cleanup(func() { stopBenchRuntime(e.tb, rt, system) })
}

func (e *benchEnv) stopRuntime() { stopBenchRuntime(e.tb, e.rt, e.system) }

func stopBenchRuntime(tb testing.TB, rt *Runtime, system *actor.ActorSystem) {
	if system.IsStopped() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := rt.Stop(ctx); err != nil {
		tb.Errorf("stop runtime: %v", err)
	}
	system.Shutdown()
}

// benchRun keeps phone numbers of separate runs apart on a shared simulator.
var (
	benchRun      = rand.IntN(1000)
	benchPhoneSeq atomic.Int64
)

func benchPhone() string {
	return fmt.Sprintf("+6017%03d%06d", benchRun, benchPhoneSeq.Add(1))
}

// linkMany creates users*perUser sessions (perUser per new user) with workers
// linking in parallel, each waiting for its session to be connected.
func (e *benchEnv) linkMany(users, perUser, workers int) []linked {
	e.tb.Helper()
	out := make([]linked, users*perUser)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= users {
					return
				}
				if err := e.linkUser(out[i*perUser : (i+1)*perUser]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		e.tb.Fatalf("link sessions: %v", err)
	}
	return out
}

// linkUser creates a user and links len(into) sessions for it.
func (e *benchEnv) linkUser(into []linked) error {
	ctx := context.Background()
	u, err := e.db.CreateUser(ctx, benchPhone(), "not-a-real-hash", juta.RoleUser)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if e.webhooks {
		w := juta.Webhook{URL: "https://hooks.example.com/juta", Events: []string{"*"}, Secret: "bench-webhook-secret"}
		if _, err := e.db.CreateWebhook(ctx, u.ID, w); err != nil {
			return fmt.Errorf("create webhook: %w", err)
		}
	}
	for i := range into {
		l, err := e.linkSession(u.ID)
		if err != nil {
			return err
		}
		into[i] = l
	}
	return nil
}

func (e *benchEnv) linkSession(uid juta.UserID) (linked, error) {
	ctx := context.Background()
	s, err := e.rt.CreateSession(ctx, uid, "bench")
	if err != nil {
		return linked{}, fmt.Errorf("create session: %w", err)
	}
	var qr juta.QRCode
	var qrErr error
	if err := poll(time.Minute, func() bool {
		qr, qrErr = e.rt.QR(ctx, uid, s.ID)
		return qrErr == nil
	}); err != nil {
		return linked{}, fmt.Errorf("QR of session %d: %w (last answer: %v)", s.ID, err, qrErr)
	}
	phone := benchPhone()
	if err := e.scan(phone, qr.Code); err != nil {
		return linked{}, fmt.Errorf("scan QR of session %d: %w", s.ID, err)
	}
	if err := poll(time.Minute, func() bool {
		got, err := e.rt.Session(ctx, uid, s.ID)
		return err == nil && got.State == juta.StateConnected
	}); err != nil {
		return linked{}, fmt.Errorf("session %d connected: %w", s.ID, err)
	}
	return linked{uid: uid, sid: s.ID, phone: phone}, nil
}

var errDeadline = errors.New("deadline passed")

// poll checks cond until it holds or the deadline passes.
func poll(within time.Duration, cond func() bool) error {
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			return errDeadline
		}
		time.Sleep(2 * time.Millisecond) // poll interval, not synchronisation
	}
	return nil
}

// lastCursor is the user's newest event cursor (0 when the log is empty).
func (e *benchEnv) lastCursor(uid juta.UserID) int64 {
	e.tb.Helper()
	var last int64
	for {
		evs, err := e.db.EventsAfter(context.Background(), uid, last, 1000)
		if err != nil {
			e.tb.Fatal(err)
		}
		if len(evs) == 0 {
			return last
		}
		last = evs[len(evs)-1].Cursor
	}
}

// isConnectedEvent reports whether ev says that session sid is connected.
func isConnectedEvent(ev juta.Event, sid juta.SessionID) bool {
	if ev.Type != juta.EventSessionState || ev.SessionID != sid {
		return false
	}
	var s struct {
		State juta.SessionState `json:"state"`
	}
	return json.Unmarshal(ev.Data, &s) == nil && s.State == juta.StateConnected
}

// percentile of sorted samples by the nearest-rank method.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

// reportLatency sorts samples and reports p50, p99 and max in unit.
func reportLatency(b *testing.B, prefix string, samples []time.Duration, unit time.Duration, unitName string) {
	slices.Sort(samples)
	for _, q := range []struct {
		name string
		v    time.Duration
	}{{"p50", percentile(samples, 0.50)}, {"p99", percentile(samples, 0.99)}, {"max", percentile(samples, 1)}} {
		b.ReportMetric(float64(q.v)/float64(unit), prefix+"_"+q.name+"_"+unitName)
	}
	b.ReportMetric(float64(len(samples)), prefix+"_samples")
}

// memFigures is what the process holds, after garbage collection and after
// returning free pages to the OS.
type memFigures struct {
	heapInuse, heapAlloc, stackInuse, rss uint64
}

func measureMemory(tb testing.TB) memFigures {
	runtime.GC()
	debug.FreeOSMemory() // collects again and returns free pages, so RSS is what is held
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return memFigures{heapInuse: m.HeapInuse, heapAlloc: m.HeapAlloc, stackInuse: m.StackInuse, rss: vmRSS(tb)}
}

// vmRSS reads this process's resident set from /proc/self/status.
func vmRSS(tb testing.TB) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Fatalf("read process status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatalf("parse VmRSS %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	tb.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// envInt reads a positive integer knob, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
