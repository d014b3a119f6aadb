package api

import (
	"sync"
	"time"

	"github.com/juta-app/juta"
)

// Bounds of the owner cache.
const (
	maxCachedOwners = 100_000
	// ownerTouchEvery spaces the Runtime.Touch calls that stand for the
	// owner's requests served without the user actor.
	ownerTouchEvery = time.Second
)

// ownerCache remembers which user owns a session once the user actor has
// confirmed it, so that the owner's requests on the session (nearly all of
// them) do not ask the actor again. A session never changes owner and its id
// is never reused, so a remembered pair cannot become wrong: requests on a
// deleted session still reach their handlers and get their 404. Grantees are
// never remembered, so a revoked share takes effect at once.
type ownerCache struct {
	now func() time.Time

	mu sync.Mutex
	m  map[juta.SessionID]ownerEntry
}

type ownerEntry struct {
	uid     juta.UserID
	touched time.Time
}

func newOwnerCache(now func() time.Time) *ownerCache {
	return &ownerCache{now: now, m: map[juta.SessionID]ownerEntry{}}
}

// owns tells whether uid is sid's remembered owner and, when it is, whether
// the user's actor is due a touch (at most one per ownerTouchEvery).
func (o *ownerCache) owns(uid juta.UserID, sid juta.SessionID) (owned, touch bool) {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	e, ok := o.m[sid]
	if !ok || e.uid != uid {
		return false, false
	}
	if now.Sub(e.touched) >= ownerTouchEvery {
		e.touched = now
		o.m[sid] = e
		return true, true
	}
	return true, false
}

// remember records that uid owns sid, just confirmed by the user actor
// (which counts as a touch).
func (o *ownerCache) remember(uid juta.UserID, sid juta.SessionID) {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.m) >= maxCachedOwners {
		clear(o.m)
	}
	o.m[sid] = ownerEntry{uid: uid, touched: now}
}
