package api

import (
	"math"
	"strconv"
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

// limiter is an in-memory token bucket per key (an IP, a phone, a user). It
// is per node: a cluster of n nodes allows up to n times the rate, which is
// fine for slowing guessing down; lock-out in Postgres is the hard limit.
type limiter struct {
	rate RateLimit
	now  func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate RateLimit, now func() time.Time) *limiter {
	return &limiter{rate: rate, now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from key's bucket, or says how long until one is there.
func (l *limiter) allow(key string) (bool, time.Duration) {
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

func (l *limiter) prune(now time.Time) {
	full := time.Duration(l.rate.Burst) * l.rate.Every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
}

// errRateLimited is the 429 of every limit; RetryAfter becomes the header.
func errRateLimited(wait time.Duration) error {
	return &juta.Error{Code: juta.ERATELIMITED, Message: "too many requests; try again later", RetryAfter: wait}
}

// setRetryAfter writes the Retry-After header in whole seconds, rounded up so
// a client that obeys it is not refused again.
func setRetryAfter(c *fiber.Ctx, wait time.Duration) {
	if wait <= 0 {
		return
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
}

// limitIP is the per-IP limit of the authentication routes.
func (s *Server) limitIP(c *fiber.Ctx) error {
	if ok, wait := s.authn.ipLimit.allow(c.IP()); !ok {
		return errRateLimited(wait)
	}
	return c.Next()
}

// limitAccount applies the per-account limit to key (a phone or a user id).
func (s *Server) limitAccount(key string) error {
	if ok, wait := s.authn.accountLimit.allow(key); !ok {
		return errRateLimited(wait)
	}
	return nil
}
