package auth

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// RateLimit is a token bucket: Burst requests at once, then one per Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// maxBuckets bounds a limiter's memory; past it, buckets that have refilled
// (and so hold no information) are dropped.
const maxBuckets = 50_000

// Limiter is an in-memory token bucket per key (an IP, a phone, a user). It
// is per node: a cluster of n nodes allows up to n times the rate, which is
// fine for slowing guessing down; lock-out in Postgres is the hard limit.
type Limiter struct {
	rate RateLimit
	now  func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a limiter of rate on the clock now.
func NewLimiter(rate RateLimit, now func() time.Time) *Limiter {
	return &Limiter{rate: rate, now: now, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket, or says how long until one is there.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l.rate.Burst <= 0 || l.rate.Every <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.rate.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.rate.Every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.rate.Every))
}

func (l *Limiter) prune(now time.Time) {
	full := time.Duration(l.rate.Burst) * l.rate.Every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
}

// ErrRateLimited is the 429 of every limit; RetryAfter becomes the header.
func ErrRateLimited(wait time.Duration) error {
	return &juta.Error{Code: juta.ERATELIMITED, Message: "too many requests; try again later", RetryAfter: wait}
}

// LimitIP is the per-IP limit of the authentication routes (middleware).
func (s *Service) LimitIP(c *fiber.Ctx) error {
	if ok, wait := s.ipLimit.Allow(c.IP()); !ok {
		return ErrRateLimited(wait)
	}
	return c.Next()
}

// LimitAccount applies the per-account limit to key (a phone or a user id):
// ERATELIMITED with the wait when it is spent.
func (s *Service) LimitAccount(key string) error {
	if ok, wait := s.accountLimit.Allow(key); !ok {
		return ErrRateLimited(wait)
	}
	return nil
}
