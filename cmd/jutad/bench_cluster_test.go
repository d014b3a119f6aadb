package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta/persistence/pgtest"
)

// BenchmarkClusterCrossNodeRequest: two jutad nodes in cluster mode
// (JUTA_CLUSTER=postgres) on one database, one user with a linked session.
// GET /api/sessions/{id} is timed, one request at a time, on the node that
// holds the user and on the other one, which forwards it over protoactor
// remote: the difference is what crossing nodes costs.
func BenchmarkClusterCrossNodeRequest(b *testing.B) {
	dbURL := pgtest.MustURL(b)
	sim := startBenchSim(b)
	nodes := map[string]*proc{}
	for _, name := range []string{"bench-a", "bench-b"} {
		nodes[name] = startServer(b, dbURL, sim.addr, "JUTA_TOKEN_TTL=1h", "JUTA_CLUSTER=postgres",
			"JUTA_NODE_ID="+name, "JUTA_LEASE_TTL=6s")
	}
	u, err := registerAndLink(benchHTTP, "http://"+nodes["bench-a"].addr, sim.addr, "+60129990001")
	if err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	var holder string
	if err := conn.QueryRow(context.Background(), `SELECT l.node FROM leases l JOIN wa_sessions s ON s.user_id = l.user_id
		WHERE s.id = $1 AND l.expires_at > now()`, u.session).Scan(&holder); err != nil {
		b.Fatal(err)
	}
	const samples = 2000
	for name, n := range nodes {
		kind := "cross"
		if name == holder {
			kind = "local"
		}
		lat, err := timeRequests(fmt.Sprintf("http://%s/api/sessions/%d", n.addr, u.session), u.token, samples)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(percentile(lat, 50), kind+"_p50_ms")
		b.ReportMetric(percentile(lat, 99), kind+"_p99_ms")
	}
	b.ReportMetric(samples, "samples")
}

// timeRequests does n GET requests one after the other (after a warm-up)
// and returns their latencies in milliseconds, sorted.
func timeRequests(url, token string, n int) ([]float64, error) {
	for range 100 {
		if code, err := benchCall(benchHTTP, "GET", url, token, nil, nil); err != nil || code != http.StatusOK {
			return nil, fmt.Errorf("warm-up %s: status %d: %v", url, code, err)
		}
	}
	lat := make([]float64, 0, n)
	for range n {
		start := time.Now()
		code, err := benchCall(benchHTTP, "GET", url, token, nil, nil)
		if err != nil || code != http.StatusOK {
			return nil, fmt.Errorf("%s: status %d: %v", url, code, err)
		}
		lat = append(lat, float64(time.Since(start).Microseconds())/1000)
	}
	sort.Float64s(lat)
	return lat, nil
}
