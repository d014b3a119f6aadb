//go:build cluster

package main

import (
	"syscall"
	"testing"
	"time"
)

// Failover and placement figures of cluster mode (make bench), on a
// benchCluster: three nodes, etcd mode unless JUTA_BENCH_CLUSTER=postgres,
// lease TTL 6 s unless JUTA_BENCH_LEASE_TTL says otherwise, no message load.
// Each starts once every session is connected and the loads have been steady
// for a TTL. A moved session counts from the signal until the node now
// holding its user answers it connected (polled every 20 ms).

// BenchmarkClusterFailoverKill: JUTA_BENCH_FAILOVER_USERS users (default 36)
// on three nodes; node-1 gets SIGKILL.
func BenchmarkClusterFailoverKill(b *testing.B) {
	c := newBenchCluster(b, 3, envInt(b, "JUTA_BENCH_FAILOVER_USERS", 36))
	b.ResetTimer()
	m := c.moveTimes("node-1", func() { _ = c.nodes["node-1"].cmd.Process.Signal(syscall.SIGKILL) })
	b.StopTimer()
	c.reportMoves(b, "kill", m)
}

// BenchmarkClusterFailoverStop: the same with SIGSTOP; node-1 stays stopped
// for twice the TTL, then gets SIGCONT.
func BenchmarkClusterFailoverStop(b *testing.B) {
	c := newBenchCluster(b, 3, envInt(b, "JUTA_BENCH_FAILOVER_USERS", 36))
	p := c.nodes["node-1"]
	var stopped time.Time
	b.ResetTimer()
	m := c.moveTimes("node-1", func() {
		_ = p.cmd.Process.Signal(syscall.SIGSTOP)
		stopped = time.Now()
	})
	b.StopTimer()
	eventually(b, 3*c.ttl, "twice the TTL paused", func() bool { return time.Since(stopped) >= 2*c.ttl })
	_ = p.cmd.Process.Signal(syscall.SIGCONT)
	c.reportMoves(b, "stop", m)
}

// reportMoves reports the moves' percentiles, and how long the victim's
// leases still ran at the signal: a node renews every TTL/3, so that is
// between 2/3 TTL and the TTL, and the rest is the takeover itself.
func (c *benchCluster) reportMoves(b *testing.B, kind string, m moves) {
	b.ReportMetric(percentile(m.times, 50), kind+"_p50_s")
	b.ReportMetric(percentile(m.times, 99), kind+"_p99_s")
	b.ReportMetric(m.leaseLeft, "lease_left_s")
	b.ReportMetric(float64(len(m.times)), "moved_sessions")
	b.ReportMetric(float64(m.missed), "missed_sessions")
	b.ReportMetric(c.ttl.Seconds(), "lease_ttl_s")
	b.ReportMetric(float64(len(c.users)), "users")
}

// BenchmarkClusterPlacement: JUTA_BENCH_PLACEMENT_USERS users (default 60)
// on three nodes, then a fourth node joins. The loads (live leases per live
// node) are weighed once steady with three nodes and once steady again with
// four: the largest over the mean, the time from the fourth node being ready
// until the loads last changed, and how many sessions moved.
func BenchmarkClusterPlacement(b *testing.B) {
	c := newBenchCluster(b, 3, envInt(b, "JUTA_BENCH_PLACEMENT_USERS", 60))
	before, held := c.loads(), c.holders()
	b.ResetTimer()
	c.startNode("node-3")
	joined := time.Now()
	settled := c.waitSettled(4)
	b.StopTimer()
	after, moved := c.loads(), 0
	for sid, node := range c.holders() {
		if held[sid] != node {
			moved++
		}
	}
	b.Logf("loads with three nodes %v, with four %v", before, after)
	b.ReportMetric(maxOverMean(before), "three_max_over_mean")
	b.ReportMetric(maxOverMean(after), "four_max_over_mean")
	b.ReportMetric(max(0, settled.Sub(joined).Seconds()), "settle_s")
	b.ReportMetric(float64(after["node-3"]), "fourth_node_users")
	b.ReportMetric(float64(moved), "moved_sessions")
	b.ReportMetric(c.ttl.Seconds(), "lease_ttl_s")
	b.ReportMetric(float64(len(c.users)), "users")
}
