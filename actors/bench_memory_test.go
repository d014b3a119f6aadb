package actors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/whatsapp/sim"
)

// BenchmarkIdleSessionMemory links JUTA_BENCH_SESSIONS sessions (default
// 10,000; JUTA_BENCH_PER_USER of them per user, default 1) through the runtime
// against a simulator in another process (JUTA_BENCH_SIM, host:port of
// `jutad sim`), waits until every one is connected and idle, and reports what
// each costs this process: heap after GC and resident memory. The simulator's
// own memory is not counted because it lives in the other process. Run with
// -benchtime 1x: one iteration links everything once.
func BenchmarkIdleSessionMemory(b *testing.B) {
	benchIdleMemory(b, Config{}, nil, nil)
}

// BenchmarkAlwaysOnIdleSessionMemory is BenchmarkIdleSessionMemory for
// always-on sessions (their users have webhooks, which makes it the default)
// whose users have gone idle (a 2 s idle timeout here) and rest instead of
// passivating: the cost of keeping an idle account's session connected.
func BenchmarkAlwaysOnIdleSessionMemory(b *testing.B) {
	benchIdleMemory(b, Config{IdleTimeout: 2 * time.Second}, func(e *benchEnv) { e.webhooks = true },
		func(e *benchEnv, links []linked) {
			users := map[juta.UserID]bool{}
			for _, l := range links {
				users[l.uid] = true
			}
			// Every user has rested at least once, so none holds a chat cache.
			rested := func() bool {
				st := e.rt.Stats()
				return st.Rests >= int64(len(users)) && st.ActiveUsers == int64(len(users))
			}
			if err := poll(2*time.Minute, rested); err != nil {
				st := e.rt.Stats()
				b.Fatalf("%d rests, %d users active, %d passivations; want every one of %d users resting",
					st.Rests, st.ActiveUsers, st.Passivations, len(users))
			}
		})
}

// benchIdleMemory links the sessions (setup, if any, prepares the
// environment first), lets settle (if any) bring them to the state measured,
// and reports their memory.
func benchIdleMemory(b *testing.B, cfg Config, setup func(*benchEnv), settle func(*benchEnv, []linked)) {
	addr := os.Getenv("JUTA_BENCH_SIM")
	if addr == "" {
		b.Skip("JUTA_BENCH_SIM is not set: start `jutad sim --duplicate-rate 0` and give its address (scripts/bench.sh does)")
	}
	total := envInt("JUTA_BENCH_SESSIONS", 10000)
	perUser := envInt("JUTA_BENCH_PER_USER", 1)
	users := (total + perUser - 1) / perUser
	db := openBenchDB(b, 32)
	scanner := newHTTPScanner(addr, 32)
	e := newBenchEnv(b, db, cfg, sim.NewProvider(addr), scanner.scan)
	if setup != nil {
		setup(e)
	}

	for range b.N {
		before := measureMemory(b)
		goroutines := runtime.NumGoroutine()
		start := time.Now()
		links := e.linkMany(users, perUser, 32)
		n := len(links)
		linking := time.Since(start)
		scanner.close()
		if settle != nil {
			settle(e, links)
		}
		// Idle: every client is down to its reader goroutine, no event
		// dispatchers or connect goroutines are left.
		if err := poll(time.Minute, func() bool { return runtime.NumGoroutine() <= goroutines+n+8 }); err != nil {
			b.Logf("goroutines did not settle: %d before, %d now, %d sessions", goroutines, runtime.NumGoroutine(), n)
		}
		after := measureMemory(b)
		per := func(a, z uint64) float64 { return (float64(z) - float64(a)) / float64(n) }
		b.ReportMetric(per(before.heapInuse, after.heapInuse), "heap_inuse_B/session")
		b.ReportMetric(per(before.heapAlloc, after.heapAlloc), "heap_alloc_B/session")
		b.ReportMetric(per(before.stackInuse, after.stackInuse), "stack_B/session")
		b.ReportMetric(per(before.rss, after.rss), "rss_B/session")
		b.ReportMetric(float64(n), "sessions")
		b.ReportMetric(float64(users), "users")
		b.Logf("%d sessions (%d users x %d) linked and connected in %v; goroutines %d -> %d; rss %d MiB -> %d MiB",
			n, users, perUser, linking.Round(time.Millisecond), goroutines, runtime.NumGoroutine(),
			before.rss>>20, after.rss>>20)
	}
}

// httpScanner scans QR codes through the simulator's phone API, as a phone
// would, over a bounded set of kept-alive connections.
type httpScanner struct {
	base   string
	client *http.Client
}

func newHTTPScanner(addr string, conns int) *httpScanner {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	return &httpScanner{base: "http://" + addr, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (s *httpScanner) scan(phone, code string) error {
	body, _ := json.Marshal(map[string]string{"qr": code})
	res, err := s.client.Post(s.base+"/sim/phones/"+phone+"/scan", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 1<<10))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("scan: %s: %s", res.Status, msg)
	}
	return nil
}

// close drops the kept-alive connections so they are not counted.
func (s *httpScanner) close() { s.client.CloseIdleConnections() }
