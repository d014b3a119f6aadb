package main

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// BenchmarkHealAfterOutage measures the time to heal after PostgreSQL is down
// for 5 s and for 60 s: from the fault's end (the proxy lets connections
// through again) to the last message sent during the outage being stored,
// per session, over JUTA_BENCH_HEAL_SESSIONS (200) linked sessions receiving
// a steady trickle. Goal: under 10 s after the database is back.
func BenchmarkHealAfterOutage(b *testing.B) {
	sessions := 200
	if v, err := strconv.Atoi(os.Getenv("JUTA_BENCH_HEAL_SESSIONS")); err == nil && v > 0 {
		sessions = v
	}
	e := newFaultEnv(b, pgtest.MustURL(b), sessions)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, outage := range []time.Duration{5 * time.Second, 60 * time.Second} {
			stop := e.trickle(10 * time.Millisecond)
			time.Sleep(2 * time.Second) // traffic before the fault
			e.pg.Down()
			time.Sleep(outage) // the outage itself
			e.pg.Up()
			faultEnd, atEnd := time.Now(), e.sentNow()
			time.Sleep(time.Second)
			stop()
			heal := e.settle(faultEnd, atEnd)
			name := "heal" + strconv.Itoa(int(outage.Seconds())) + "s"
			b.ReportMetric(quantile(heal, .5).Seconds(), name+"_p50_s")
			b.ReportMetric(quantile(heal, .99).Seconds(), name+"_p99_s")
		}
	}
	b.ReportMetric(float64(sessions), "sessions") // after ResetTimer, which drops reported metrics
}
