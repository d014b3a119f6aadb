package sim

import (
	"fmt"
	"testing"

	juta "github.com/juta-app/juta"
)

// A handler slower than the sender does not make the client buffer without
// bound: at maxPending the reader stops, the server keeps the rest queued,
// and everything arrives, once acknowledged, when the handler catches up.
func TestSlowHandlerBoundsPendingMessages(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, r := linkDevice(t, s, addr, alice)
	gate := make(chan struct{})
	r.setAccept(func(juta.WAIncoming) bool { <-gate; return true })
	const total = 3 * maxPending
	for i := 0; i < total; i++ {
		sendFrom(t, s, bob, alice, fmt.Sprintf("m%04d", i))
	}
	pending := func() int {
		c.mu.Lock()
		defer c.mu.Unlock()
		return len(c.events)
	}
	eventually(t, "the queue full", func() bool { return pending() >= maxPending })
	if n := pending(); n > maxPending {
		t.Fatalf("%d events pending, bound %d", n, maxPending)
	}
	close(gate)
	eventually(t, "everything acknowledged", func() bool { st := s.Stats(); return st.Delivered == total && st.Queued == 0 })
	if n := len(ofType[juta.WAIncoming](r.snapshot())); n != total {
		t.Fatalf("handler saw %d messages, want %d", n, total)
	}
}
