//go:build cluster

package main

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkClusterFailoverKillUnderLoad is BenchmarkClusterFailoverKill
// while contacts send to every user in turn, JUTA_BENCH_FAILOVER_RATE
// messages a second over all (default 100), from two seconds before the
// SIGKILL until two seconds after the last session moved. Besides the moves
// it reports the messages the simulator took, how many were stored, and how
// many of those more than once or without their one message event (each
// should be 0: WhatsApp redelivers what the killed node had not
// acknowledged).
func BenchmarkClusterFailoverKillUnderLoad(b *testing.B) {
	c := newBenchCluster(b, 3, envInt(b, "JUTA_BENCH_FAILOVER_USERS", 36))
	rate := envInt(b, "JUTA_BENCH_FAILOVER_RATE", 100)
	load := c.sendLoad(time.Second / time.Duration(rate))
	eventually(b, 30*time.Second, "two seconds of load", func() bool { return load.sent.total() >= 2*rate })
	b.ResetTimer()
	m := c.moveTimes("node-1", func() { _ = c.nodes["node-1"].cmd.Process.Signal(syscall.SIGKILL) })
	b.StopTimer()
	after := load.sent.total()
	eventually(b, 30*time.Second, "two seconds of load after the moves", func() bool { return load.sent.total() >= after+2*rate })
	load.stop()
	c.reportMoves(b, "kill", m)
	sent, stored, extra := c.checkStored(load)
	b.ReportMetric(float64(sent), "sent_msgs")
	b.ReportMetric(float64(stored), "stored_msgs")
	b.ReportMetric(float64(extra), "duplicate_or_eventless_msgs")
	b.ReportMetric(float64(rate), "load_msgs/s")
}

// clusterLoad counts what the simulator took for each session.
type clusterLoad struct {
	sent sentCounts
	stop func()
}

// sendLoad sends one message every interval, to the users in turn, each
// from a contact of its own, each text distinct.
func (c *benchCluster) sendLoad(interval time.Duration) *clusterLoad {
	l := &clusterLoad{}
	l.stop = every(interval, func(i int) {
		u := c.users[i%len(c.users)]
		contact := fmt.Sprintf("+6019500%04d", i%len(c.users))
		if postFromContact(c.sim.addr, contact, u.phone, fmt.Sprintf("load %07d: jumpa esok jam 3?", i)) {
			l.sent.add(u.session)
		}
	})
	return l
}

// checkStored waits until every session stored what was sent to it and
// returns the messages sent, the messages stored, and how many stored
// messages are copies or lack their one message event.
func (c *benchCluster) checkStored(l *clusterLoad) (sent, stored, extra int) {
	c.tb.Helper()
	for sid, want := range l.sent.bySession() {
		_ = pollUntil(60*time.Second, func() bool {
			n, _, _ := storedCounts(c.tb, c.dbURL, sid)
			return n >= want
		})
		n, distinct, events := storedCounts(c.tb, c.dbURL, sid)
		sent, stored = sent+want, stored+n
		extra += (n - distinct) + max(0, n-events) + max(0, events-n)
	}
	if stored < sent {
		c.tb.Fatalf("%d of %d messages stored", stored, sent)
	}
	return sent, stored, extra
}
