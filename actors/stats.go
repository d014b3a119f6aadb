package actors

import (
	"sync"
	"sync/atomic"

	juta "github.com/juta-app/juta"
)

// counters are the runtime's tallies and gauges, read by metrics and tests.
// Hot paths only touch atomics.
type counters struct {
	activations     atomic.Int64
	passivations    atomic.Int64
	rests           atomic.Int64
	sessionRestarts atomic.Int64
	activeUsers     atomic.Int64
	messagesIn      atomic.Int64
	messagesOut     atomic.Int64
	events          atomic.Int64
	detected        atomic.Int64
	wakeUps         atomic.Int64
	storeHeals      atomic.Int64
	refused         atomic.Int64
	ingestHeld      atomic.Int64
	forwarded       atomic.Int64
	hubs            atomic.Int64
	subscribers     atomic.Int64
	remoteSubs      atomic.Int64
	states          sync.Map // juta.SessionState -> *atomic.Int64: live session actors by state
}

// Stats is a snapshot of the runtime's tallies (since start) and gauges (now).
type Stats struct {
	Activations     int64 // user actors spawned
	Passivations    int64 // user actors stopped after going idle
	Rests           int64 // idle periods of users kept active by an always-on session
	SessionRestarts int64 // session actors restarted after a crash
	ActiveUsers     int64 // user actors running on this node
	MessagesIn      int64 // incoming messages stored (duplicates not counted)
	MessagesOut     int64 // messages sent and stored
	Events          int64 // events published to live subscribers' user actors
	Detected        int64 // messages whose detection was saved by this node
	WakeUps         int64 // passivated users woken to pull queued WhatsApp messages
	StoreHeals      int64 // reconnects that had WhatsApp redeliver messages whose store failed
	Refused         int64 // requests refused because their user actor had MaxInFlight in flight
	IngestHeld      int64 // incoming messages waiting for their user actor to handle MaxInFlight notices
	Forwarded       int64 // requests sent to the node holding their user (cluster mode)
	Hubs            int64 // users whose live events this node's streams receive (one subscription each)
	Subscribers     int64 // subscriptions registered with the user actors of this node
	RemoteSubs      int64 // of those, subscriptions of other nodes (cluster mode)
	SessionsByState map[juta.SessionState]int64
}

// Stats returns the runtime's figures now.
func (r *Runtime) Stats() Stats {
	st := Stats{
		Activations:     r.stats.activations.Load(),
		Passivations:    r.stats.passivations.Load(),
		Rests:           r.stats.rests.Load(),
		SessionRestarts: r.stats.sessionRestarts.Load(),
		ActiveUsers:     r.stats.activeUsers.Load(),
		MessagesIn:      r.stats.messagesIn.Load(),
		MessagesOut:     r.stats.messagesOut.Load(),
		Events:          r.stats.events.Load(),
		Detected:        r.stats.detected.Load(),
		WakeUps:         r.stats.wakeUps.Load(),
		StoreHeals:      r.stats.storeHeals.Load(),
		Refused:         r.stats.refused.Load(),
		IngestHeld:      r.stats.ingestHeld.Load(),
		Forwarded:       r.stats.forwarded.Load(),
		Hubs:            r.stats.hubs.Load(),
		Subscribers:     r.stats.subscribers.Load(),
		RemoteSubs:      r.stats.remoteSubs.Load(),
		SessionsByState: map[juta.SessionState]int64{},
	}
	r.stats.states.Range(func(k, v any) bool {
		st.SessionsByState[k.(juta.SessionState)] = v.(*atomic.Int64).Load()
		return true
	})
	return st
}

// moveState records a live session leaving state from (may be "") for to
// (may be "", when the session actor stops).
func (c *counters) moveState(from, to juta.SessionState) {
	if from == to {
		return
	}
	if from != "" {
		c.gauge(from).Add(-1)
	}
	if to != "" {
		c.gauge(to).Add(1)
	}
}

func (c *counters) gauge(s juta.SessionState) *atomic.Int64 {
	if g, ok := c.states.Load(s); ok {
		return g.(*atomic.Int64)
	}
	g, _ := c.states.LoadOrStore(s, new(atomic.Int64))
	return g.(*atomic.Int64)
}
