package juta

import "sync/atomic"

// Publisher hands events that a store has committed to a user's log to the
// live streams of this node. It is the one path from the log to subscribers:
// the store that appends an event calls it after the commit (never before, so
// a subscriber that reads a gap from the log finds the event there), and
// handlers and actors never publish by hand.
//
// Publish must not block and cannot fail: the runtime queues the events for
// the user's actor if it is active on this node and drops them otherwise (the
// log keeps them; a stream that missed one reads it from there). evs are one
// user's, in cursor order.
type Publisher interface {
	Publish(uid UserID, evs []Event)
}

// Relay is a Publisher whose target is set later: the stores are opened
// before the runtime that consumes their events exists. Until Set, and after
// Set(nil), events are dropped (nobody can be subscribed yet). Safe for
// concurrent use.
type Relay struct {
	target atomic.Pointer[Publisher]
}

var _ Publisher = (*Relay)(nil)

// Set makes p the target of later Publish calls.
func (r *Relay) Set(p Publisher) {
	if p == nil {
		r.target.Store(nil)
		return
	}
	r.target.Store(&p)
}

// Publish forwards to the target, if any.
func (r *Relay) Publish(uid UserID, evs []Event) {
	if p := r.target.Load(); p != nil && len(evs) > 0 {
		(*p).Publish(uid, evs)
	}
}
