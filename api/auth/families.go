package auth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/juta-app/juta"
)

// maxCachedFamilies bounds the login-family cache.
const maxCachedFamilies = 100_000

// familyCache answers whether an access token's login family is revoked,
// reading the store's revocation list (juta.CredentialStore.FamilyRevoked)
// through a short cache: a revoked family is remembered for good, a live one
// for ttl. A revocation on this node takes effect at once (forgetUser), on
// other nodes within ttl.
type familyCache struct {
	store juta.CredentialStore
	ttl   time.Duration
	now   func() time.Time

	mu sync.Mutex
	m  map[int64]cachedFamily
	// epoch counts each user's revocations on this node, so that a read that
	// raced with one is not cached as live.
	epoch map[juta.UserID]uint64
}

type cachedFamily struct {
	uid     juta.UserID
	revoked bool
	at      time.Time
}

func newFamilyCache(store juta.CredentialStore, ttl time.Duration, now func() time.Time) *familyCache {
	return &familyCache{store: store, ttl: ttl, now: now, m: map[int64]cachedFamily{}, epoch: map[juta.UserID]uint64{}}
}

// revoked reports whether uid's family is revoked. A token without a family
// cannot be revoked, so it counts as revoked too (every login issues one).
func (f *familyCache) revoked(ctx context.Context, uid juta.UserID, family int64) (bool, error) {
	if family <= 0 {
		return true, nil
	}
	now := f.now()
	f.mu.Lock()
	c, ok := f.m[family]
	epoch := f.epoch[uid]
	f.mu.Unlock()
	if ok && c.uid == uid && (c.revoked || now.Sub(c.at) < f.ttl) {
		return c.revoked, nil
	}
	revoked, err := f.store.FamilyRevoked(ctx, uid, family)
	if err != nil {
		return false, fmt.Errorf("login family %d of user %d: %w", family, uid, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.epoch[uid] != epoch && !revoked {
		return false, nil // a revocation raced with the read: do not cache it live
	}
	if len(f.m) >= maxCachedFamilies {
		clear(f.m)
	}
	f.m[family] = cachedFamily{uid: uid, revoked: revoked, at: now}
	return revoked, nil
}

// forgetUser drops what is cached of uid's families: the next check of each
// reads the store.
func (f *familyCache) forgetUser(uid juta.UserID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.epoch[uid]++
	if len(f.epoch) >= maxCachedFamilies {
		clear(f.epoch) // only in-flight reads lose their guard; their next check reads the store
	}
	for id, c := range f.m {
		if c.uid == uid {
			delete(f.m, id)
		}
	}
}
