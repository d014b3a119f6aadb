package actors

import (
	"context"
	"log/slog"
	"sync"
	"time"

	juta "github.com/juta-app/juta"
)

// LeaseKeeper is a node's side of cluster leases (cluster mode only): it takes
// a user's lease before the user's WhatsApp clients exist, renews every lease
// of the node in one statement every TTL/3 from its own goroutine (never from
// an actor's mailbox, so a busy actor cannot starve it), and decides alone
// when a lease is lost.
//
// A lease is trusted only until renewSentAt + TTL - margin on the monotonic
// clock: the database computed its expiry from a moment after the renewal was
// sent, so the node stops trusting its lease before the database frees it,
// and a node paused by SIGSTOP or a long GC sees on waking that the time has
// passed (the monotonic clock keeps counting). When a lease is lost the
// keeper disconnects the user's tracked clients itself, then calls OnLost so
// that the runtime stops the user's actors. The database refuses writes made
// with the lost token in any case (fencing); the keeper's job is that the
// node stops acting before that matters.
//
// All methods are safe for concurrent use.
type LeaseKeeper struct {
	store  juta.LeaseStore
	ttl    time.Duration
	margin time.Duration
	log    *slog.Logger
	now    func() time.Time

	// OnLost is called from the keeper's goroutine after a lease was lost and
	// the user's clients were disconnected. OnGained is called for a lease
	// the renewal found this node holding without having claimed it (another
	// node's sweeper placed the user here). Set both before Run.
	OnLost   func(uid juta.UserID)
	OnGained func(uid juta.UserID)
	// Addr is the node's cluster address, recorded when it joins again.
	Addr string
	// Pacing holds the send pacing the node joined with (its LeaseTTL is
	// the keeper's ttl), checked again when it joins again.
	Pacing juta.ClusterSettings

	// lastOK is when the last successful renewal was sent (Run's goroutine
	// only): a node that could not renew for TTL - margin may have been
	// declared dead, so it joins again under a new incarnation.
	lastOK time.Time

	mu      sync.Mutex
	holder  juta.Holder
	left    bool // Leave ran: the node never joins again
	held    map[juta.UserID]*heldLease
	dropped map[int64]bool            // tokens given up locally; a renewal that still returns one releases it
	moving  map[juta.UserID]time.Time // users shed to other nodes: not claimed back before then
	wake    chan struct{}             // a new earliest deadline: re-plan the loop
}

type heldLease struct {
	token      int64
	acquired   time.Time // monotonic: when the claim of token returned here
	validUntil time.Time // monotonic: renewSentAt + ttl - margin
	clients    map[int]func()
	nextClient int
	// untracked is closed (and replaced) whenever a client is untracked.
	untracked chan struct{}
}

// NewLeaseKeeper returns a keeper claiming for h with the cluster's ttl;
// margin (default ttl/6) absorbs clock rate differences and the time a
// client needs to disconnect.
func NewLeaseKeeper(store juta.LeaseStore, h juta.Holder, ttl, margin time.Duration, log *slog.Logger) *LeaseKeeper {
	if margin <= 0 || margin >= ttl/2 {
		margin = ttl / 6
	}
	if log == nil {
		log = slog.Default()
	}
	return &LeaseKeeper{store: store, holder: h, ttl: ttl, margin: margin, log: log, now: time.Now,
		held: map[juta.UserID]*heldLease{}, dropped: map[int64]bool{}, moving: map[juta.UserID]time.Time{}, wake: make(chan struct{}, 1)}
}

// Holder is the node run this keeper claims for; it changes when the node
// joins again after a stall.
func (k *LeaseKeeper) Holder() juta.Holder {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.holder
}

// Leave takes the node out of the cluster before a drain: nothing is placed
// on it any more. The keeper goes on renewing the leases of the users still
// stopping, but never joins the cluster again, not even after a stall.
func (k *LeaseKeeper) Leave(ctx context.Context) error {
	k.mu.Lock()
	k.left = true
	h := k.holder
	k.mu.Unlock()
	return k.store.LeaveCluster(ctx, h)
}

// settings are what the node joins the cluster with.
func (k *LeaseKeeper) settings() juta.ClusterSettings {
	s := k.Pacing
	s.LeaseTTL = k.ttl
	return s
}

// TTL is the lease time to live.
func (k *LeaseKeeper) TTL() time.Duration { return k.ttl }

// Acquire claims uid's lease for this node (or extends it if held) and
// returns its token. ECONFLICT when another node holds the user,
// EUNAVAILABLE when this node just handed the user over (rebalancing). It is
// one database round trip (two for a user being handed over); call it before
// creating any client for uid.
func (k *LeaseKeeper) Acquire(ctx context.Context, uid juta.UserID) (int64, error) {
	if k.movedAway(ctx, uid) {
		return 0, errMoving
	}
	sent := k.now()
	l, err := k.store.ClaimLease(ctx, uid, k.Holder(), k.ttl)
	if err != nil {
		return 0, err
	}
	k.mu.Lock()
	h := k.held[uid]
	if h == nil || h.token != l.Token {
		// Held from when the claim returned: a renewal sent before then may
		// not see it (its commit was on its way) without the lease being lost.
		h = &heldLease{token: l.Token, acquired: k.now(), clients: map[int]func(){}}
		k.held[uid] = h
	}
	delete(k.dropped, l.Token)
	h.validUntil = sent.Add(k.ttl - k.margin)
	k.mu.Unlock()
	k.poke()
	return l.Token, nil
}

// Token returns uid's token while this node may trust its lease.
func (k *LeaseKeeper) Token(uid juta.UserID) (int64, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	h := k.held[uid]
	if h == nil || !k.now().Before(h.validUntil) {
		return 0, false
	}
	return h.token, true
}

// noToken fences writes of a user this node never held: no lease has it.
const noToken = -1

// Fence returns ctx carrying uid's token for the database's check: the last
// token this node held for uid even if it is no longer trusted (the
// database then refuses the write), or one no lease has.
func (k *LeaseKeeper) Fence(ctx context.Context, uid juta.UserID) context.Context {
	k.mu.Lock()
	token := int64(noToken)
	if h := k.held[uid]; h != nil {
		token = h.token
	}
	k.mu.Unlock()
	return juta.WithFence(ctx, uid, token)
}

// Track registers stop (a client's Disconnect) to be called when uid's
// lease is lost, and returns the function that unregisters it. It returns
// false (and registers nothing) when this node does not trust uid's lease
// now: the caller must not create or connect the client.
func (k *LeaseKeeper) Track(uid juta.UserID, stop func()) (untrack func(), ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	h := k.held[uid]
	if h == nil || !k.now().Before(h.validUntil) {
		return nil, false
	}
	id := h.nextClient
	h.nextClient++
	h.clients[id] = stop
	return func() {
		k.mu.Lock()
		delete(h.clients, id)
		if h.untracked != nil {
			close(h.untracked)
			h.untracked = nil
		}
		k.mu.Unlock()
	}, true
}

// Release gives uid's lease up (after its clients were disconnected), so
// that another node may claim the user at once.
func (k *LeaseKeeper) Release(ctx context.Context, uid juta.UserID) error {
	if !k.clientsGone(ctx, uid) {
		// Its connect attempt was cancelled, so it ends soon: waiting on
		// would hold the user away from every node.
		k.log.Warn("releasing a lease while a client of the user is still connecting", "user_id", uid)
	}
	k.mu.Lock()
	h := k.held[uid]
	delete(k.held, uid)
	if h != nil {
		k.dropped[h.token] = true
	}
	k.mu.Unlock()
	if h == nil {
		return nil
	}
	if err := k.store.ReleaseLease(ctx, uid, h.token); err != nil {
		return err
	}
	k.placeShed(ctx, uid)
	return nil
}

// clientsGone waits until no client of uid is tracked (a dropped client stays
// tracked until its connect attempt has returned); false when ctx ends first.
func (k *LeaseKeeper) clientsGone(ctx context.Context, uid juta.UserID) bool {
	for {
		k.mu.Lock()
		h := k.held[uid]
		if h == nil || len(h.clients) == 0 {
			k.mu.Unlock()
			return true
		}
		if h.untracked == nil {
			h.untracked = make(chan struct{})
		}
		ch := h.untracked
		k.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

// Held lists the users whose lease this node trusts now.
func (k *LeaseKeeper) Held() []juta.UserID {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	out := make([]juta.UserID, 0, len(k.held))
	for uid, h := range k.held {
		if now.Before(h.validUntil) {
			out = append(out, uid)
		}
	}
	return out
}

func (k *LeaseKeeper) poke() {
	select {
	case k.wake <- struct{}{}:
	default:
	}
}

// adopt records a lease this node was given by a placement made here (the
// sweeper), sent being when the claim was sent. False when the node holds
// the user already.
func (k *LeaseKeeper) adopt(l juta.Lease, sent time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if h := k.held[l.UserID]; h != nil && h.token == l.Token {
		return false
	}
	k.held[l.UserID] = &heldLease{token: l.Token, acquired: k.now(), validUntil: sent.Add(k.ttl - k.margin), clients: map[int]func(){}}
	delete(k.dropped, l.Token)
	k.poke()
	return true
}
