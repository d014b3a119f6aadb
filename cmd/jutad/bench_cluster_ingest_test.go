package main

import (
	"syscall"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// BenchmarkClusterIngest: the ingest rate of one jutad alone against one
// jutad in cluster mode (JUTA_CLUSTER=postgres: every user under a lease,
// every write fenced by its token, leases renewed and nodes swept in the
// background), with the same workload in the same run. Each measurement has
// a fresh database, one simulator shared by all, JUTA_BENCH_CLUSTER_INGEST_USERS
// users (default 100) with a linked session and one WebSocket each, and a
// burst of JUTA_BENCH_CLUSTER_INGEST_MESSAGES (default 10,000) from the
// fan-out benchmark's contact phones as fast as the simulator takes them; the
// rate is messages over the time from the first send to the last event
// received. JUTA_BENCH_CLUSTER_INGEST_ROUNDS rounds (default 2) alternate the
// order (alone then cluster, cluster then alone, ...) so that neither mode
// always runs second; only one jutad runs at a time.
func BenchmarkClusterIngest(b *testing.B) {
	users := envInt(b, "JUTA_BENCH_CLUSTER_INGEST_USERS", 100)
	burst := envInt(b, "JUTA_BENCH_CLUSTER_INGEST_MESSAGES", 10000)
	rounds := envInt(b, "JUTA_BENCH_CLUSTER_INGEST_ROUNDS", 2)
	sim := startBenchSim(b)
	modes := []struct {
		name     string
		settings []string
	}{
		{"alone", nil},
		{"cluster", []string{"JUTA_CLUSTER=postgres", "JUTA_NODE_ID=bench-ingest", "JUTA_LEASE_TTL=6s"}},
	}
	rates, leased := map[string][]float64{}, map[string]int{}
	missing := 0
	b.ResetTimer()
	for r := range rounds {
		for k := range modes {
			m := modes[(k+r)%len(modes)]
			res := ingestBurst(b, sim.addr, users, burst, int64(r*len(modes)+k), m.settings...)
			b.Logf("round %d, %s: %.0f msg/s; %d under a live lease", r+1, m.name, res.rate, res.leased)
			rates[m.name] = append(rates[m.name], res.rate)
			leased[m.name] = max(leased[m.name], res.leased)
			missing += res.missing
		}
	}
	b.StopTimer()
	alone, cluster := mean(rates["alone"]), mean(rates["cluster"])
	b.ReportMetric(alone, "alone_msgs/s")
	b.ReportMetric(cluster, "cluster_msgs/s")
	b.ReportMetric(cluster/alone, "cluster_over_alone")
	b.ReportMetric(float64(missing), "missing_events")
	b.ReportMetric(float64(leased["alone"]), "alone_leased_users")
	b.ReportMetric(float64(leased["cluster"]), "cluster_leased_users")
	b.ReportMetric(float64(users), "users")
	b.ReportMetric(float64(burst), "burst_msgs")
	b.ReportMetric(float64(rounds), "rounds")
	b.ReportMetric(fanoutPhones, "phones")
}

// ingestResult is one burst's figures.
type ingestResult struct {
	rate    float64 // messages stored and delivered per second
	missing int     // events that never arrived
	leased  int     // users under a live lease after the burst (none alone)
}

// ingestBurst starts one jutad with settings on a fresh database, links
// users users with one WebSocket each and sends burst messages to them as
// fast as the phones can. The jutad is stopped before it returns.
func ingestBurst(b *testing.B, simAddr string, users, burst int, run int64, settings ...string) ingestResult {
	b.Helper()
	fanoutCounter[phaseBurst].Store(0)
	dbURL := pgtest.MustURL(b)
	srv := startServer(b, dbURL, simAddr, append(benchClusterSettings(), settings...)...)
	us := setupUsers(b, "http://"+srv.addr, simAddr, users, 60193000000+run*100000)
	dashes := openDashboards(b, srv.addr, us, 1)
	warmUp(b, simAddr, us, dashes)
	start := time.Now()
	sendFanout(b, simAddr, us, phaseBurst, burst, 0)
	waitPhase(b, phaseBurst, burst)
	closeDashboards(b, dashes)
	leased := liveLeases(b, dbURL)
	srv.kill(syscall.SIGTERM)
	t := collectPhase(dashes, phaseBurst, start)
	return ingestResult{rate: float64(t.events) / t.seconds, missing: burst - t.events, leased: leased}
}

// liveLeases counts the users under a live lease.
func liveLeases(tb testing.TB, dbURL string) int {
	tb.Helper()
	var n int
	if err := queryRow(tb, dbURL, `SELECT count(*) FROM leases WHERE expires_at > now()`, nil, &n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// benchClusterSettings are the settings of every jutad of the cluster
// benchmarks: hour-long tokens, and a request deadline that six concurrent
// sign-ups (each hashing a password with Argon2id) stay within on a shared,
// loaded machine; no figure depends on it.
func benchClusterSettings() []string {
	return []string{"JUTA_TOKEN_TTL=1h", "JUTA_REQUEST_TIMEOUT=30s"}
}

// mean of values (0 for none).
func mean(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	return sum / float64(len(values))
}
