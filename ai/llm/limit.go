package llm

import (
	"sync"
	"time"

	"github.com/juta-app/juta"
)

// pruneAt is the number of buckets above which full ones are forgotten: a
// full bucket is the same as a missing one, so this only bounds memory.
const pruneAt = 4096

// limiter is a token bucket per user: perMinute tokens refilled evenly over
// a minute, at most perMinute held.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	now     func() time.Time
	buckets map[juta.UserID]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{
		rate:    float64(perMinute) / 60,
		burst:   float64(perMinute),
		now:     now,
		buckets: make(map[juta.UserID]*bucket),
	}
}

// allow takes one token from the user's bucket, or reports false without
// waiting when it is empty.
func (l *limiter) allow(id juta.UserID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[id]
	if !ok {
		if len(l.buckets) >= pruneAt {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[id] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *limiter) refill(b *bucket, now time.Time) {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
	}
	b.last = now
}

func (l *limiter) prune(now time.Time) {
	for id, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, id)
		}
	}
}
