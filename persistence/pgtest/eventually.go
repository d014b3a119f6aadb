package pgtest

import (
	"testing"
	"time"
)

// EventuallyTimeout is how long Eventually waits: long enough for a loaded
// machine running every package's tests at once, short enough to fail.
const EventuallyTimeout = 20 * time.Second

// Eventually polls cond every few milliseconds until it holds, and fails the
// test when EventuallyTimeout passes first. Tests wait with it instead of
// sleeping: the poll interval shapes nothing, the deadline only bounds a
// failure.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	EventuallyWithin(t, EventuallyTimeout, what, cond)
}

// EventuallyWithin is Eventually with its own deadline.
func EventuallyWithin(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}
