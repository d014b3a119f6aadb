package stream

import "sync"

// streamSet counts live WebSocket streams so Shutdown can wait for them to
// send their close frames. Unlike a WaitGroup it refuses entries once closed.
type streamSet struct {
	mu     sync.Mutex
	n      int
	closed bool
	idle   chan struct{}
}

// enter registers a stream; false once the set is closed.
func (t *streamSet) enter() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.n++
	return true
}

func (t *streamSet) leave() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n--
	if t.closed && t.n == 0 {
		close(t.idle)
	}
}

// close refuses new streams and returns a channel closed once none is left.
func (t *streamSet) close() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.closed = true
		t.idle = make(chan struct{})
		if t.n == 0 {
			close(t.idle)
		}
	}
	return t.idle
}
