package actors

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// Rebalancing (cluster mode): placement puts a user on the least-loaded
// node only when the user has no lease, so a node that joins a running
// cluster would get nothing. Each node's sweeper therefore weighs the live
// nodes' lease counts when there is nothing to place; a node that holds at
// least two more users than the least-loaded one, and more than the mean
// rounded up, hands the excess over: each user so shed is passivated as on a
// drain (its clients disconnect, its state is flushed under its still-valid
// lease, the lease is released), and the sweepers place it again on the
// least-loaded node. A shed user is not claimed back by this node for a while
// (movingFor), so a request that reaches it meanwhile gets 503 instead of
// pulling the user back.

// movingFor is how long, in lease TTLs, a shed user is not claimed back by
// the node that shed it (unless placement gives it back).
const movingFor = 2

// shedCount is how many of its leases node me should hand over, given the
// live nodes' loads: down to the mean rounded up, and only while some node
// holds at least two fewer (a difference of one is as even as it gets).
func shedCount(loads []juta.NodeLoad, me juta.Holder) int {
	total, mine, least := 0, -1, -1
	for _, l := range loads {
		total += l.Leases
		if least < 0 || l.Leases < least {
			least = l.Leases
		}
		if l.Holder == me {
			mine = l.Leases
		}
	}
	if mine < 0 || len(loads) < 2 {
		return 0 // this node is not live (it left, or stalled): nothing to weigh
	}
	target := (total + len(loads) - 1) / len(loads)
	if mine-least < 2 || mine <= target {
		return 0
	}
	return mine - target
}

// rebalance sheds this node's excess users; it reports whether it shed any.
func (r *Runtime) rebalance(ctx context.Context) bool {
	k := r.deps.Leases
	c, cancel := context.WithTimeout(ctx, k.TTL())
	defer cancel()
	loads, err := k.store.NodeLoads(c)
	if err != nil {
		r.log.Warn("node loads", "err", err)
		return false
	}
	n := shedCount(loads, k.Holder())
	if n == 0 {
		return false
	}
	users := k.shed(n)
	for _, uid := range users {
		r.system.Root.Send(r.registry, shedUser{uid: int64(uid)})
	}
	r.log.Info("handing users over to less loaded nodes", "node", k.Holder().Node, "users", len(users))
	return len(users) > 0
}

// shedUser asks the registry to give up one user's lease cleanly. It never
// leaves the node.
type shedUser struct{ uid int64 }

// handleShed passivates the user's actor, which releases the lease once its
// clients are gone; a user held without an active actor is released at once.
func (r *registry) handleShed(ctx actor.Context, m shedUser) {
	if pid := r.users[m.uid]; pid != nil {
		ctx.Send(pid, &msg.LeaseLost{UserId: m.uid})
		return
	}
	k := r.rt.deps.Leases
	go func() {
		c, cancel := context.WithTimeout(context.Background(), k.TTL())
		defer cancel()
		if err := k.Release(c, juta.UserID(m.uid)); err != nil {
			r.rt.log.Warn("release shed lease", "user_id", m.uid, "err", err)
		}
	}()
}

// shed picks up to n users whose lease this node trusts, that are not
// moving already and that it has held for half a TTL at least (a user just
// taken may be linking a phone, or may just have moved here), and marks them
// moving.
func (k *LeaseKeeper) shed(n int) []juta.UserID {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	for uid, until := range k.moving {
		if !now.Before(until) {
			delete(k.moving, uid)
		}
	}
	var out []juta.UserID
	for uid, h := range k.held {
		if len(out) == n {
			break
		}
		if _, busy := k.moving[uid]; busy || !now.Before(h.validUntil) || now.Sub(h.acquired) < k.ttl/2 {
			continue
		}
		k.moving[uid] = now.Add(movingFor * k.ttl)
		out = append(out, uid)
	}
	return out
}

// placeShed places a user this node shed, once its lease is released, on the
// least-loaded node at once instead of at the next sweep, so that its
// requests find a holder sooner.
func (k *LeaseKeeper) placeShed(ctx context.Context, uid juta.UserID) {
	k.mu.Lock()
	_, moving := k.moving[uid]
	k.mu.Unlock()
	if !moving {
		return
	}
	if _, err := k.store.PlaceLease(ctx, uid, k.ttl); err != nil {
		if code := juta.ErrorCode(err); code != juta.ECONFLICT && code != juta.EUNAVAILABLE {
			k.log.Warn("place shed user", "user_id", uid, "err", err)
		}
	}
}

// movedAway tells Acquire to refuse uid: this node shed it a moment ago and
// does not hold it again (placement may give it back; then it is taken).
func (k *LeaseKeeper) movedAway(ctx context.Context, uid juta.UserID) bool {
	k.mu.Lock()
	until, ok := k.moving[uid]
	if ok && !k.now().Before(until) {
		delete(k.moving, uid)
		ok = false
	}
	k.mu.Unlock()
	if !ok {
		return false
	}
	l, err := k.store.LookupLease(ctx, uid)
	return err != nil || l.Holder != k.Holder()
}

// errMoving answers requests for a user this node just handed over.
var errMoving = &juta.Error{Code: juta.EUNAVAILABLE, Message: "the user is moving to another node", RetryAfter: time.Second}

// shouldRebalance tells the sweeper whether to weigh the loads now: only
// when nothing waits to be placed (users in flight between nodes would skew
// the counts) and a lease TTL after the last hand-over.
func shouldRebalance(toPlace int, lastShed, now time.Time, ttl time.Duration) bool {
	return toPlace == 0 && !now.Before(lastShed.Add(ttl))
}
