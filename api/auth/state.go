package auth

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/juta-app/juta"
)

// Defaults of the settings of Config.
const (
	DefaultRefreshTTL      = 30 * 24 * time.Hour
	DefaultAccountCacheTTL = 10 * time.Second
	// KeyUsageFlushEvery batches last_used_at writes of API keys.
	KeyUsageFlushEvery = 30 * time.Second
	maxCachedAccounts  = 100_000
)

var (
	// DefaultLockout locks a phone for 1 minute after 5 failed logins, doubling
	// with every further lock up to an hour.
	DefaultLockout = juta.LockoutPolicy{Threshold: 5, Base: time.Minute, Max: time.Hour, Forget: 24 * time.Hour}
	// DefaultAuthIPLimit and DefaultAuthAccountLimit limit the auth routes.
	DefaultAuthIPLimit      = RateLimit{Burst: 30, Every: 2 * time.Second}
	DefaultAuthAccountLimit = RateLimit{Burst: 10, Every: 6 * time.Second}
)

// accountCache keeps each user's role and disabled flag for a short TTL, so
// a token check costs a map lookup; a disable on this node takes effect at
// once, on other nodes within the TTL.
type accountCache struct {
	store juta.CredentialStore
	ttl   time.Duration
	now   func() time.Time

	mu sync.Mutex
	m  map[juta.UserID]cachedAccount
}

type cachedAccount struct {
	acct juta.Account
	at   time.Time
}

// get returns the account, ENOTFOUND when it was deleted.
func (a *accountCache) get(ctx context.Context, uid juta.UserID) (juta.Account, error) {
	now := a.now()
	a.mu.Lock()
	c, ok := a.m[uid]
	a.mu.Unlock()
	if ok && now.Sub(c.at) < a.ttl {
		return c.acct, nil
	}
	acct, err := a.store.Account(ctx, uid)
	if err != nil {
		return juta.Account{}, fmt.Errorf("account %d: %w", uid, err)
	}
	a.mu.Lock()
	if len(a.m) >= maxCachedAccounts {
		clear(a.m)
	}
	a.m[uid] = cachedAccount{acct: acct, at: now}
	a.mu.Unlock()
	return acct, nil
}

func (a *accountCache) forget(uid juta.UserID) {
	a.mu.Lock()
	delete(a.m, uid)
	a.mu.Unlock()
}

// keyUsage batches API keys' last_used_at: a request only marks its key, and
// the marks are written at most every KeyUsageFlushEvery, off the request path.
// A mark never waits for a later request to be written: one that arrives
// while a flush runs is written when it ends (or once the interval is up),
// and one that arrives too soon after a flush is written by a timer.
type keyUsage struct {
	store juta.APIKeyStore
	now   func() time.Time
	log   *slog.Logger
	every time.Duration

	mu        sync.Mutex
	pending   map[int64]struct{}
	flushedAt time.Time
	flushing  bool
	timerSet  bool
}

func (u *keyUsage) mark(id int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.pending[id] = struct{}{}
	u.schedule()
}

// schedule starts a flush of the pending marks when none runs and the last
// one is at least every old, or else makes sure one follows: the running
// flush reschedules when it ends, and a timer covers the rest of the
// interval. The caller holds mu.
func (u *keyUsage) schedule() {
	if u.flushing || len(u.pending) == 0 {
		return
	}
	now := u.now()
	if wait := u.every - now.Sub(u.flushedAt); wait > 0 {
		if !u.timerSet {
			u.timerSet = true
			time.AfterFunc(wait, u.fire)
		}
		return
	}
	ids := make([]int64, 0, len(u.pending))
	for id := range u.pending {
		ids = append(ids, id)
	}
	clear(u.pending)
	u.flushing, u.flushedAt = true, now
	go u.flush(ids, now)
}

func (u *keyUsage) fire() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.timerSet = false
	u.schedule()
}

func (u *keyUsage) flush(ids []int64, at time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := u.store.TouchAPIKeys(ctx, ids, at); err != nil {
		u.log.Warn("record api key use failed", "keys", len(ids), "error", err)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.flushing = false
	u.schedule()
}
