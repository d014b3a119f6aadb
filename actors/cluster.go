package actors

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// Cluster mode inside the runtime (Deps.Leases set). The lease keeper
// decides which users this node may run: a user actor takes the lease in
// Started before any session actor (and so any WhatsApp client) exists, and
// gives it back in Stopped, after its children (and their clients) are gone;
// every store call made for the user carries the lease's token in its
// context, so the database refuses it once another node holds the user. The
// sweeper places users whose sessions should be online and whose lease
// expired, which replaces the start-up reconnect of single-node mode.

// clustered tells whether the runtime runs under leases.
func (r *Runtime) clustered() bool { return r.deps.Leases != nil }

// base is the root context of store calls made for uid: fenced with the
// user's lease token in cluster mode.
func (r *Runtime) base(uid juta.UserID) context.Context {
	if !r.clustered() {
		return context.Background()
	}
	return r.deps.Leases.Fence(context.Background(), uid)
}

// storeContext is base with the request timeout.
func (r *Runtime) storeContext(uid juta.UserID) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.base(uid), r.cfg.RequestTimeout)
}

// startLeases hooks the keeper to the registry and starts the sweeper.
func (r *Runtime) startLeases() {
	k := r.deps.Leases
	k.OnLost = func(uid juta.UserID) {
		r.system.Root.Send(r.registry, &msg.LeaseLost{UserId: int64(uid)})
	}
	k.OnGained = func(uid juta.UserID) {
		r.system.Root.Send(r.registry, &msg.ActivateRequest{UserId: int64(uid), Wake: true})
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.stopSweeper = cancel
	r.sweeperDone = make(chan struct{})
	go func() {
		defer close(r.sweeperDone)
		r.sweep(ctx)
	}()
}

// stopLeases stops the sweeper and takes the node out of placement before
// a drain, so that the users it releases are placed on other nodes (the
// keeper itself is the caller's to stop, after the drain).
func (r *Runtime) stopLeases() {
	if r.stopSweeper == nil {
		return
	}
	r.stopSweeper()
	<-r.sweeperDone
	c, cancel := context.WithTimeout(context.Background(), r.cfg.RequestTimeout)
	defer cancel()
	if err := r.deps.Leases.Leave(c); err != nil {
		r.log.Warn("leave cluster", "err", err)
	}
}

// sweepBatch bounds the users one sweep places.
const sweepBatch = 200

// sweep places, every TTL/6, the users that should be online and have no
// live lease (their node died, or the cluster just started) on the least
// loaded live node. Every node sweeps; the lease claim lets one win. A user
// placed here is activated at once; one placed elsewhere is picked up by
// that node's next renewal.
func (r *Runtime) sweep(ctx context.Context) {
	k := r.deps.Leases
	tick := time.NewTicker(k.TTL() / 6)
	defer tick.Stop()
	var lastShed time.Time
	for {
		toPlace := r.sweepOnce(ctx)
		if now := time.Now(); shouldRebalance(toPlace, lastShed, now, k.TTL()) && r.rebalance(ctx) {
			lastShed = now
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sweepOnce places the users waiting for a node and returns how many there
// were (-1 when the database could not say).
func (r *Runtime) sweepOnce(ctx context.Context) int {
	k := r.deps.Leases
	c, cancel := context.WithTimeout(ctx, k.TTL())
	defer cancel()
	users, err := r.deps.Leases.store.UsersToPlace(c, sweepBatch)
	if err != nil {
		r.log.Warn("list users to place", "err", err)
		return -1
	}
	for _, uid := range users {
		sent := time.Now()
		l, err := r.deps.Leases.store.PlaceLease(c, uid, k.TTL())
		if err != nil {
			if code := juta.ErrorCode(err); code != juta.ECONFLICT && code != juta.EUNAVAILABLE {
				r.log.Warn("place user", "user_id", uid, "err", err)
			}
			continue
		}
		if l.Holder == k.Holder() && k.adopt(l, sent) {
			r.system.Root.Send(r.registry, &msg.ActivateRequest{UserId: int64(uid), Wake: true})
		}
	}
	return len(users)
}

// acquireLease takes the user's lease for this activation; false (and the
// actor broken, refusing requests until it has passivated) when another
// node holds the user or the database cannot say.
func (u *userActor) acquireLease(ctx actor.Context) bool {
	if !u.rt.clustered() {
		return true
	}
	c, cancel := context.WithTimeout(context.Background(), u.rt.cfg.RequestTimeout)
	defer cancel()
	if _, err := u.rt.deps.Leases.Acquire(c, u.uid); err != nil {
		u.rt.log.Info("user lease not taken", "user_id", u.uid, "err", err)
		u.broken = true
		u.askPassivation(ctx)
		return false
	}
	return true
}

// releaseLease gives the user's lease back once the actor and its children
// have stopped.
func (u *userActor) releaseLease() {
	if !u.rt.clustered() {
		return
	}
	c, cancel := context.WithTimeout(context.Background(), u.rt.cfg.RequestTimeout)
	defer cancel()
	if err := u.rt.deps.Leases.Release(c, u.uid); err != nil {
		u.rt.log.Warn("release user lease", "user_id", u.uid, "err", err)
	}
}

// handleLeaseLost passivates the actor: its clients are disconnected already
// and its writes would be refused.
func (u *userActor) handleLeaseLost(ctx actor.Context) {
	u.broken = true
	u.askPassivation(ctx)
}

// trackClient registers the session's new client with the lease keeper so
// that a lost lease disconnects it. False when the node does not trust the
// user's lease now: the client must not connect.
func (s *sessionActor) trackClient(client juta.WAClient) bool {
	if !s.rt.clustered() {
		return true
	}
	untrack, ok := s.rt.deps.Leases.Track(s.uid, client.Disconnect)
	if ok {
		s.untrack = untrack
	}
	return ok
}

// untrackClient unregisters the dropped client once its connect attempt has
// returned: a connect still in flight may yet reach WhatsApp (a handshake
// under way completes there), so the lease, which a release gives up only
// when no client of the user is tracked, must not move before it has.
func (s *sessionActor) untrackClient() {
	untrack, connected := s.untrack, s.connected
	s.untrack, s.connected = nil, nil
	if untrack == nil {
		return
	}
	if connected == nil {
		untrack()
		return
	}
	select {
	case <-connected:
		untrack()
	default:
		go func() { <-connected; untrack() }()
	}
}

// keepPlaced tells an idle user actor to stay in cluster mode while one of
// its sessions should be online: released, the user would be placed again
// by the next sweep (there is no wake timer in cluster mode).
func (u *userActor) keepPlaced() bool {
	if !u.rt.clustered() {
		return false
	}
	for _, v := range u.sessions {
		if v.info.WantConnected && v.info.DeviceJID != "" {
			return true
		}
	}
	return false
}
