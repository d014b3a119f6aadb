//go:build faults

package main

import (
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// The fault harness (make test-faults): one jutad whose PostgreSQL and
// simulator sit behind fault-injecting proxies, five linked sessions with a
// steady trickle of incoming messages and a webhook each, and one fault after
// another. After each: every message the contacts sent is stored once with
// its event, every event reached the webhooks, every session is connected and
// /readyz is 200 again; the time to heal is logged. The sleeps below are the
// faults' durations, not synchronisation.
func TestFaults(t *testing.T) {
	e := newFaultEnv(t, pgtest.MustURL(t), 5)
	const pace = 100 * time.Millisecond // 10 messages a second over the sessions

	// outage runs traffic through a fault of the given length and settles.
	outage := func(t *testing.T, length time.Duration, begin, end func()) {
		stop := e.trickle(pace)
		time.Sleep(time.Second)
		begin()
		time.Sleep(length)
		end()
		faultEnd, atEnd := time.Now(), e.sentNow()
		time.Sleep(time.Second)
		stop()
		heal := e.settle(faultEnd, atEnd)
		if os.Getenv("JUTA_FAULTS_LOGS") != "" {
			t.Logf("jutad logs:\n%s", e.srv.logs.String())
		}
		t.Logf("%s: healed %v (p50) %v (max) after the fault ended; webhook duplicates so far %d",
			t.Name(), quantile(heal, .5), quantile(heal, 1), e.hooks.duplicates())
	}
	dbDown := func(length time.Duration) func(t *testing.T) {
		return func(t *testing.T) {
			outage(t, length, func() {
				e.pg.Down()
				e.checkOutageAnswers(t)
			}, e.pg.Up)
		}
	}
	t.Run("database down 5s", dbDown(5*time.Second))
	t.Run("database down 60s", dbDown(60*time.Second))
	t.Run("database latency 2s for 30s", func(t *testing.T) {
		outage(t, 30*time.Second, func() { e.pg.SetLatency(2 * time.Second) }, func() { e.pg.SetLatency(0) })
	})
	t.Run("messages table locked by a long transaction for 10s", func(t *testing.T) {
		var release func()
		outage(t, 10*time.Second, func() { release = e.lockMessages(t) }, func() { release() })
	})
	t.Run("database connections reset", func(t *testing.T) {
		outage(t, 3*time.Second, e.pg.resetAll, func() { e.pg.resetAll() })
	})
	t.Run("simulator link down 10s", func(t *testing.T) {
		outage(t, 10*time.Second, e.link.Down, e.link.Up)
	})
	t.Run("sends across a dropped simulator link", e.sendsAcrossADroppedLink)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		t.Run("mid-ingest "+sig.String(), func(t *testing.T) {
			outage(t, 0, func() {
				e.srv.kill(sig)
				if code := e.srv.cmd.ProcessState.ExitCode(); sig == syscall.SIGTERM && code != 0 {
					t.Errorf("exit code after SIGTERM = %d", code)
				}
			}, e.start)
		})
	}
	t.Run("mid-webhook SIGKILL", func(t *testing.T) {
		if n := e.hooks.mostCopies(); n > 1 {
			t.Logf("an event was delivered %d times before this scenario", n)
		}
		before := e.hooks.duplicates()
		e.hooks.holdNext()
		outage(t, 0, func() {
			e.hooks.waitHeld(t)
			e.srv.kill(syscall.SIGKILL)
			e.hooks.release()
		}, e.start)
		// Each delivery held when the node died comes once more (the
		// worker sends up to 4 at once, so up to 4 events), and none twice.
		if dup := e.hooks.duplicates() - before; dup < 1 || e.hooks.mostCopies() > 2 {
			t.Fatalf("%d extra deliveries after the kill, an event delivered %d times; want at least 1 and at most 2 copies each",
				dup, e.hooks.mostCopies())
		}
	})
}

// checkOutageAnswers: once the probe has seen the outage, /readyz is 503 and
// an API request fails fast with 503 and Retry-After.
func (e *faultEnv) checkOutageAnswers(t *testing.T) {
	t.Helper()
	eventually(t, 10*time.Second, "readyz 503", func() bool {
		res, err := http.Get(e.base() + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusServiceUnavailable
	})
	req, _ := http.NewRequest(http.MethodGet, e.base()+"/api/sessions", nil)
	req.Header.Set("Authorization", "Bearer "+e.users[0].c.token)
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("request during the outage: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("request during the outage: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}
