package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// wrkScript paces wrk at a fixed rate, which wrk itself cannot do: each
// thread keeps a schedule of send slots (rate/threads per second) and delay()
// hands the connection that is ready the next slot, waiting for it when it
// lies ahead and sending at once when the schedule is behind. LuaJIT's ffi
// gives the monotonic clock in Lua. Latency is wrk's own, from the moment a
// request is written, so a server that falls behind its schedule is only seen
// in the achieved rate, not in the latency (no coordinated-omission fix).
// With JUTA_BENCH_WRK_RATE empty or 0, wrk runs unpaced.
const wrkScript = `
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } juta_timespec;
int clock_gettime(int clk, juta_timespec *tp);
]]
local ts = ffi.new("juta_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval, next_at
local rate = tonumber(os.getenv("JUTA_BENCH_WRK_RATE") or "0") or 0
local threads = tonumber(os.getenv("JUTA_BENCH_WRK_THREADS") or "1") or 1
wrk.headers["Authorization"] = "Bearer " .. os.getenv("JUTA_BENCH_TOKEN")

if rate > 0 then
  interval = 1000 * threads / rate
  function delay()
    local t = now_ms()
    if next_at == nil then next_at = t end
    local d = next_at - t
    next_at = next_at + interval
    if d < 0 then return 0 end
    return d
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("juta_wrk requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
`

const (
	wrkThreads     = 2
	wrkConnections = 32
	wrkUnpacedConn = 4
	wrkRate        = 2000
	benchMessages  = 300
)

// wrkResult is the line the script's done() prints.
type wrkResult struct {
	requests, durationUS, p50US, p99US, maxUS, errors, non2xx float64
}

func (r wrkResult) rate() float64 { return r.requests / (r.durationUS / 1e6) }

// BenchmarkAPIWrk drives a real jutad (sim mode, a fresh database) with wrk:
// GET /api/status and GET /api/sessions/{id}/messages of a user whose one
// linked session holds a few hundred stored messages: each paced at 2,000
// requests/s, then each unpaced with 4 connections for the rate wrk reaches.
func BenchmarkAPIWrk(b *testing.B) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		b.Skip("wrk is not installed (scripts/bench.sh installs it)")
	}
	dur := envDuration(b, "JUTA_BENCH_WRK_DURATION", 10*time.Second)
	dbURL := pgtest.MustURL(b)
	sim := startBenchSim(b)
	srv := startBenchServer(b, dbURL, sim.addr)
	base := "http://" + srv.addr
	u := setupUsers(b, base, sim.addr, 1, 60190000000)[0]
	fillMessages(b, dbURL, sim.addr, u, benchMessages)

	script := filepath.Join(b.TempDir(), "paced.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o600); err != nil {
		b.Fatal(err)
	}
	targets := []struct{ name, path string }{
		{"status", "/api/status"},
		{"messages", fmt.Sprintf("/api/sessions/%d/messages", u.session)},
	}
	b.ResetTimer()
	// Every paced run comes before the unpaced ones: a run at saturation
	// leaves work behind (collections, a grown heap) that would land in the
	// next paced run's tail.
	for _, tg := range targets {
		url := base + tg.path
		// A short paced warm-up fills the pools and caches on both sides.
		runWrk(b, wrk, script, url, u.token, wrkRate, wrkConnections, 2*time.Second)
		paced := runWrk(b, wrk, script, url, u.token, wrkRate, wrkConnections, dur)
		b.ReportMetric(paced.rate(), tg.name+"_paced_req/s")
		b.ReportMetric(paced.p50US/1000, tg.name+"_paced_p50_ms")
		b.ReportMetric(paced.p99US/1000, tg.name+"_paced_p99_ms")
		b.ReportMetric(paced.maxUS/1000, tg.name+"_paced_max_ms")
		b.ReportMetric(paced.errors+paced.non2xx, tg.name+"_paced_failures")
	}
	meter := newCPUMeter(b, srv.cmd.Process.Pid, dbURL)
	for _, tg := range targets {
		server0, db0 := meter.read()
		open := runWrk(b, wrk, script, base+tg.path, u.token, 0, wrkUnpacedConn, dur/2)
		server1, db1 := meter.read()
		b.ReportMetric(float64((server1-server0).Microseconds())/open.requests, tg.name+"_open_server_cpu_us/req")
		b.ReportMetric(float64((db1-db0).Microseconds())/open.requests, tg.name+"_open_db_cpu_us/req")
		b.ReportMetric(open.rate(), tg.name+"_open_req/s")
		b.ReportMetric(open.p50US/1000, tg.name+"_open_p50_ms")
		b.ReportMetric(open.p99US/1000, tg.name+"_open_p99_ms")
		b.ReportMetric(open.errors+open.non2xx, tg.name+"_open_failures")
	}
	b.ReportMetric(float64(wrkConnections), "paced_connections")
	b.ReportMetric(float64(wrkUnpacedConn), "open_connections")
	b.ReportMetric(float64(wrkThreads), "wrk_threads")
	b.ReportMetric(float64(wrkRate), "paced_target_req/s")
	b.ReportMetric(dur.Seconds(), "paced_seconds")
	b.ReportMetric(float64(benchMessages), "stored_messages")
}

// fillMessages sends n messages to u from a contact's phone and waits until
// all are stored.
func fillMessages(b *testing.B, dbURL, simAddr string, u benchUser, n int) {
	b.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				body := map[string]string{"to": u.phone, "text": fmt.Sprintf("order %04d: can you deliver on Friday?", i)}
				if code, err := benchCall(benchHTTP, "POST", phoneURL(simAddr, "+60190009999", "messages"), "", body, nil); err != nil || code != http.StatusOK {
					errs <- fmt.Errorf("phone send: status %d: %v", code, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	eventually(b, 60*time.Second, "messages stored", func() bool {
		return storedMessages(b, dbURL, u.session) >= n
	})
}

// runWrk runs wrk once and parses the script's summary line.
func runWrk(b *testing.B, wrk, script, url, token string, rate, conns int, d time.Duration) wrkResult {
	b.Helper()
	cmd := exec.Command(wrk, "-t", strconv.Itoa(wrkThreads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%ds", int(d.Seconds())), "--timeout", "5s", "-s", script, url)
	cmd.Env = append(os.Environ(), "JUTA_BENCH_TOKEN="+token,
		"JUTA_BENCH_WRK_RATE="+strconv.Itoa(rate), "JUTA_BENCH_WRK_THREADS="+strconv.Itoa(wrkThreads))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if r, ok := parseWrkLine(line); ok {
			return r
		}
	}
	b.Fatalf("wrk printed no summary:\n%s", out)
	return wrkResult{}
}

func parseWrkLine(line string) (wrkResult, bool) {
	fields, ok := strings.CutPrefix(line, "juta_wrk ")
	if !ok {
		return wrkResult{}, false
	}
	var r wrkResult
	dst := map[string]*float64{"requests": &r.requests, "duration_us": &r.durationUS, "p50_us": &r.p50US,
		"p99_us": &r.p99US, "max_us": &r.maxUS, "errors": &r.errors, "non2xx": &r.non2xx}
	for _, f := range strings.Fields(fields) {
		k, v, _ := strings.Cut(f, "=")
		n, err := strconv.ParseFloat(v, 64)
		if p := dst[k]; p != nil && err == nil {
			*p = n
		}
	}
	return r, r.durationUS > 0
}

func envDuration(tb testing.TB, name string, def time.Duration) time.Duration {
	tb.Helper()
	raw := os.Getenv(name)
	if raw == "" {
		return def
	}
	d, err := time.ParseDuration(raw)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return d
}
