package stream

import (
	"sync"

	"github.com/juta-app/juta"
)

// streamWatch lets a revocation on this node reach the user's open
// WebSockets at once: each stream registers a channel that is poked when one
// of its user's credentials may have ended, and re-checks its own.
type streamWatch struct {
	mu sync.Mutex
	m  map[juta.UserID]map[chan struct{}]struct{}
}

func newStreamWatch() *streamWatch {
	return &streamWatch{m: map[juta.UserID]map[chan struct{}]struct{}{}}
}

// add registers a stream of uid; remove must be called when it ends.
func (w *streamWatch) add(uid juta.UserID) (poked <-chan struct{}, remove func()) {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	if w.m[uid] == nil {
		w.m[uid] = map[chan struct{}]struct{}{}
	}
	w.m[uid][ch] = struct{}{}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.m[uid], ch)
		if len(w.m[uid]) == 0 {
			delete(w.m, uid)
		}
		w.mu.Unlock()
	}
}

// poke tells each of uid's streams to re-check; it never blocks.
func (w *streamWatch) poke(uid juta.UserID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.m[uid] {
		select {
		case ch <- struct{}{}:
		default: // a re-check is already due
		}
	}
}
