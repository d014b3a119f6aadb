package auth

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// touchRecorder is the key store's TouchAPIKeys: it records the ids written
// and, while gate is set, holds each write until the test releases it.
type touchRecorder struct {
	juta.APIKeyStore // only TouchAPIKeys is called
	mu               sync.Mutex
	touched          []int64
	started          chan struct{}
	gate             chan struct{}
}

func (r *touchRecorder) TouchAPIKeys(_ context.Context, ids []int64, _ time.Time) error {
	if r.gate != nil {
		select {
		case r.started <- struct{}{}:
		default: // nobody waits for this one
		}
		<-r.gate
	}
	r.mu.Lock()
	r.touched = append(r.touched, ids...)
	r.mu.Unlock()
	return nil
}

func (r *touchRecorder) has(id int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.touched, id)
}

// testClock is a clock the test moves by hand.
type testClock struct{ off atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *testClock) advance(d time.Duration) { c.off.Add(int64(d)) }

func newKeyUsage(store juta.APIKeyStore, now func() time.Time, every time.Duration) *keyUsage {
	return &keyUsage{store: store, now: now, log: slog.Default(), every: every, pending: map[int64]struct{}{}}
}

func waitTouched(t *testing.T, r *touchRecorder, id int64) {
	t.Helper()
	pgtest.Eventually(t, fmt.Sprintf("key %d's use written", id), func() bool { return r.has(id) })
}

// A use that arrives while a flush is writing is written after it, without
// waiting for another request.
func TestKeyUseDuringFlushIsWritten(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	rec := &touchRecorder{started: make(chan struct{}, 1), gate: make(chan struct{})}
	u := newKeyUsage(rec, clock.now, KeyUsageFlushEvery)
	u.mark(1)
	<-rec.started // the first flush is running
	u.mark(2)
	clock.advance(KeyUsageFlushEvery)
	close(rec.gate)
	waitTouched(t, rec, 1)
	waitTouched(t, rec, 2)
}

// A use that arrives soon after a flush is written once the interval is up,
// again without another request.
func TestKeyUseSoonAfterFlushIsWritten(t *testing.T) {
	t.Parallel()
	rec := &touchRecorder{}
	u := newKeyUsage(rec, time.Now, time.Second)
	u.mark(1)
	waitTouched(t, rec, 1)
	u.mark(2)
	waitTouched(t, rec, 2)
}
