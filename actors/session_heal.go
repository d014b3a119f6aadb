package actors

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Healing after a failed store. A message whose store failed is left
// unacknowledged, and WhatsApp (like the simulator) redelivers unacknowledged
// messages on the next connection only, never on its own: without a
// reconnect it would wait until the session happens to drop. So the first
// failure of a client makes the session wait for the store to be reachable
// again (the health probe, polled at no cost) and then reconnect, which brings
// back everything it did not acknowledge; storing is idempotent, so what was
// stored meanwhile comes back as a no-op. A store that fails although the
// database answers (a refused write) is retried with exponential backoff.

// storeFailed says a client's handler could not store an incoming message.
// It and storeProbe are sent only by this node to its own session actor,
// never to a remote PID, so they need not be protobuf messages.
type storeFailed struct{ gen int64 }

// storeProbe asks the session to reconnect if the store is reachable.
type storeProbe struct{ gen int64 }

// healPoll is how often a waiting session looks at the health verdict.
const healPoll = 250 * time.Millisecond

// handleStoreFailed starts one healing round per client: later failures of
// the same client add nothing, its messages all come back with the reconnect.
func (s *sessionActor) handleStoreFailed(ctx actor.Context, m *storeFailed) {
	if m.gen != s.gen || s.healing {
		return
	}
	s.healing = true
	if time.Since(s.healedAt) > s.rt.cfg.ReconnectMax {
		s.heals = 0 // a failure long after the last one starts the backoff anew
	}
	delay := healPoll // an outage: the health probe says when it ends
	if h := s.rt.deps.Health; h == nil || h.Check() == nil {
		delay = s.backoff(s.heals) // reachable yet failing: back off
		s.heals++
	}
	s.rt.log.Warn("incoming message not stored; reconnecting once the store is healthy so WhatsApp redelivers it",
		"session_id", s.sid, "after", delay)
	s.scheduleProbe(ctx, delay)
}

func (s *sessionActor) handleStoreProbe(ctx actor.Context, m *storeProbe) {
	if m.gen != s.gen {
		s.healing = false // another reconnect came first and redelivers as well
		return
	}
	if h := s.rt.deps.Health; h != nil && h.Check() != nil {
		s.scheduleProbe(ctx, healPoll)
		return
	}
	s.healing = false
	s.healedAt = time.Now()
	s.rt.stats.storeHeals.Add(1)
	s.rt.log.Info("store reachable; reconnecting for redelivery", "session_id", s.sid)
	s.startClient(ctx)
}

func (s *sessionActor) scheduleProbe(ctx actor.Context, delay time.Duration) {
	self, root, gen := ctx.Self(), ctx.ActorSystem().Root, s.gen
	time.AfterFunc(delay, func() { root.Send(self, &storeProbe{gen: gen}) })
}

// backoff is the reconnect delay after n failures in a row: ReconnectMin
// doubling up to ReconnectMax.
func (s *sessionActor) backoff(n int) time.Duration {
	delay := s.rt.cfg.ReconnectMin << min(n, 16)
	if delay > s.rt.cfg.ReconnectMax || delay <= 0 {
		delay = s.rt.cfg.ReconnectMax
	}
	return delay
}
