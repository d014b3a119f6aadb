package actors

import (
	"context"
	"sync/atomic"
)

// inbox bounds the stored-message notices waiting in one user actor
// activation's mailbox. An incoming message is stored on the WhatsApp
// client's goroutine and only then announced to the user actor; without a
// bound, a user actor that is slow or blocked would collect notices as fast as
// the database stores messages. The client's handler takes a slot before it
// stores a message and the user actor frees it when it handles the notice, so
// a full inbox holds the handler: the simulator client stops reading at 256
// pending messages and whatsmeow's handler is synchronous, so the backlog
// stays queued at WhatsApp, not in memory. A handler that waits longer than
// the ingest deadline leaves the message unacknowledged, like a failed store
// (redelivered on the next connection).
type inbox struct {
	slots chan struct{}
	gone  chan struct{} // closed when the activation ends: waiters give up
}

func newInbox(size int) *inbox {
	return &inbox{slots: make(chan struct{}, size), gone: make(chan struct{})}
}

// take waits for a slot; false when ctx ends or the activation is gone first.
// waiting counts the producers held at the bound.
func (b *inbox) take(ctx context.Context, waiting *atomic.Int64) bool {
	select {
	case b.slots <- struct{}{}:
		return true
	default:
	}
	waiting.Add(1)
	defer waiting.Add(-1)
	select {
	case b.slots <- struct{}{}:
		return true
	case <-b.gone:
	case <-ctx.Done():
	}
	return false
}

// add takes a slot if one is free, without waiting: for notices whose
// producer is bounded elsewhere (a send holds an admission slot).
func (b *inbox) add() {
	select {
	case b.slots <- struct{}{}:
	default:
	}
}

// done frees the slot of a notice handled.
func (b *inbox) done() {
	select {
	case <-b.slots:
	default:
	}
}

// close ends the activation's inbox; it is not reused.
func (b *inbox) close() { close(b.gone) }
