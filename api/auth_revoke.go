package api

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

// credentialsChanged is called after a change that may end credentials of
// uid (logout, refresh replay, password change, disable, a key deleted, a
// share revoked): this node forgets what it cached of them, and uid's open
// WebSockets re-check theirs at once.
func (s *Server) credentialsChanged(uid juta.UserID) {
	if uid == 0 {
		return
	}
	s.authn.accounts.forget(uid)
	s.authn.families.forgetUser(uid)
	s.watch.poke(uid)
}
