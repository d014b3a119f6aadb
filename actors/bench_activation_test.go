package actors

import (
	"context"
	"testing"
	"time"

	"github.com/juta-app/juta/whatsapp/sim"
)

// coldIdle is the idle timeout that passivates the benchmark's users between
// the set-up and the measurement; each measured activation holds a
// subscription, which keeps its user active until it is measured.
const coldIdle = time.Second

// BenchmarkColdActivation measures waking a passivated user with one linked
// session: from the request that activates it, through loading the user and
// its session from Postgres and reconnecting to the simulator, to the
// "connected" state event (written to the log once the client is up) reaching
// a subscriber. JUTA_BENCH_COLD_USERS users (default 300) are linked by one
// runtime, then a second runtime with a short idle timeout starts (reconnecting
// them all), lets them all passivate, and wakes them one at a time. The
// process, its pool and the simulator are warm; the users are not in memory.
// Run with -benchtime 1x.
func BenchmarkColdActivation(b *testing.B) {
	n := envInt("JUTA_BENCH_COLD_USERS", 300)
	srv, addr := inProcessSim(b)
	db := openBenchDB(b, 16)
	e := newBenchEnv(b, db, Config{}, sim.NewProvider(addr), inProcessScan(srv))
	links := e.linkMany(n, 1, 16)
	e.stopRuntime()
	e.cfg.IdleTimeout = coldIdle
	e.startRuntime()
	if err := poll(2*time.Minute, func() bool {
		active, err := e.rt.ActiveUsers(context.Background())
		return err == nil && len(active) == 0 && e.rt.Stats().Passivations >= int64(n)
	}); err != nil {
		b.Fatalf("users did not all passivate: %+v", e.rt.Stats())
	}
	// Every client should be down now. One that is not was left connected by
	// a passivation racing with its connect; report it rather than wait.
	_ = poll(5*time.Second, func() bool { return srv.Stats().Connections == 0 })
	b.ReportMetric(float64(srv.Stats().Connections), "orphan_connections")

	for range b.N {
		samples := make([]time.Duration, 0, len(links))
		for _, l := range links {
			samples = append(samples, e.wake(l))
		}
		reportLatency(b, "cold", samples, time.Millisecond, "ms")
	}
}

// wake activates l's passivated user and returns how long it took until its
// session was connected again.
func (e *benchEnv) wake(l linked) time.Duration {
	e.tb.Helper()
	after := e.lastCursor(l.uid)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	sub, err := e.rt.Subscribe(ctx, l.uid, after)
	if err != nil {
		e.tb.Fatalf("wake user %d: %v", l.uid, err)
	}
	defer sub.Close()
	for ev := range sub.Events() {
		if isConnectedEvent(ev, l.sid) {
			return time.Since(start)
		}
	}
	e.tb.Fatalf("user %d: the stream ended before session %d was connected", l.uid, l.sid)
	return 0
}

// BenchmarkWarmStatus measures routing one Status request through the
// registry to an active user actor and back, sequentially over
// JUTA_BENCH_WARM_USERS users (default 100) with one linked session each.
// Each op is one request; its latency is recorded. Use -benchtime Nx for a
// fixed number of requests (set-up is repeated for every b.N tried).
func BenchmarkWarmStatus(b *testing.B) {
	n := envInt("JUTA_BENCH_WARM_USERS", 100)
	srv, addr := inProcessSim(b)
	db := openBenchDB(b, 16)
	e := newBenchEnv(b, db, Config{}, sim.NewProvider(addr), inProcessScan(srv))
	links := e.linkMany(n, 1, 16)
	ctx := context.Background()
	for _, l := range links { // every user answers once before timing starts
		if _, err := e.rt.Status(ctx, l.uid); err != nil {
			b.Fatal(err)
		}
	}
	samples := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		uid := links[i%len(links)].uid
		start := time.Now()
		s, err := e.rt.Status(ctx, uid)
		samples[i] = time.Since(start)
		if err != nil || len(s) != 1 {
			b.Fatalf("status of user %d: %v (%d sessions)", uid, err, len(s))
		}
	}
	b.StopTimer()
	reportLatency(b, "status", samples, time.Microsecond, "us")
}
