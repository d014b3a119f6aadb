package actors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"

	juta "github.com/juta-app/juta"
)

// Requests across nodes (cluster mode). The lease table is the directory
// (read through the LeaseLookup): a request for a user whose lease this node
// trusts goes to the local registry; one for a user held by another live
// node goes to that node's registry over protoactor remote (every message is
// protobuf, actors/msg), which answers the caller's future directly; a user
// held by no one is placed on the live node holding the fewest leases, whose
// registry activates it (the activation claims the lease). While a user
// moves (its holder died or left and its lease has not expired yet) the
// caller gets 503 unavailable with Retry-After, never another node's stale
// answer: a node serves a user only under the user's live lease. A node
// remembers where another node's user lives until the lease it read expires
// (at most one TTL), or until that node fails to answer or refuses the user.

// registryName is the registry's name on every node, so that other nodes
// can address it as PID{Address: node's cluster address, Id: registryName}.
const registryName = "registry"

// routeRetryAfter is the Retry-After of a request refused while its user moves.
const routeRetryAfter = time.Second

// Refusals of a request that no user actor served: the user is between
// nodes (its holder left or handed it over, or an activation lost the race
// for its lease). In cluster mode a request so refused is sent again after
// a pause while its deadline leaves time for it, so that a move shows to
// clients as a slower answer rather than a 503. Only these are retried: an
// error that may come after the request did something never is. They are
// told apart by their message, which is what crosses nodes.
const (
	msgNotLoaded  = "user state could not be loaded"
	msgNoNode     = "no live node can take this account now; retry shortly"
	msgHolderGone = "the node holding this account left the cluster; retry shortly"
)

// movePause is how long a refused request waits before it is sent again;
// moveMargin is the time a new attempt needs left before the deadline.
const (
	movePause  = 200 * time.Millisecond
	moveMargin = time.Second
)

// unserved reports whether err is a refusal by which no user actor served
// the request (see msgNotLoaded).
func unserved(err error) bool {
	var e *juta.Error
	if !errors.As(err, &e) || e.Code != juta.EUNAVAILABLE {
		return false
	}
	switch e.Message {
	case msgNotLoaded, msgNoNode, msgHolderGone, errMoving.Message:
		return true
	}
	return false
}

// pauseForMove waits movePause unless ctx's deadline would leave less than
// moveMargin after it; false when it did not wait.
func pauseForMove(ctx context.Context) bool {
	if time.Until(deadlineOf(ctx)) < movePause+moveMargin {
		return false
	}
	t := time.NewTimer(movePause)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// deadlineOf is ctx's deadline (request gives every request one).
func deadlineOf(ctx context.Context) time.Time {
	dl, _ := ctx.Deadline()
	return dl
}

// route is where a request goes: this node's registry (remoteUntil zero)
// or another node's, whose lease on the user ends at remoteUntil unless it
// renews it.
type route struct {
	to          *actor.PID
	holder      juta.Holder // the node that holds the user, or is to take it
	remoteUntil time.Time
}

// target returns the registry that serves uid's requests.
func (r *Runtime) target(ctx context.Context, uid int64) (route, error) {
	local := route{to: r.registry}
	if !r.clustered() {
		return local, nil
	}
	k := r.deps.Leases
	if _, ok := k.Token(juta.UserID(uid)); ok {
		return local, nil
	}
	if servedHere(ctx) {
		return local, nil
	}
	if v, ok := r.where.Load(uid); ok {
		if at := v.(route); time.Now().Before(at.remoteUntil) {
			r.stats.forwarded.Add(1)
			return at, nil
		}
		r.where.Delete(uid)
	}
	at, err := r.deps.Lookup.locate(ctx, uid)
	if err != nil {
		return route{}, err
	}
	if at.holder == k.Holder() || at.to.GetAddress() == r.system.Address() {
		return local, nil // the activation claims (extends) the lease
	}
	if at.remoteUntil.IsZero() {
		at.remoteUntil = time.Now() // placed there: not remembered
	} else {
		r.where.Store(uid, at)
	}
	r.stats.forwarded.Add(1)
	return at, nil
}

type hereKey struct{}

// onThisNode marks ctx's requests to be served by this node's registry
// whatever the lease table says: work this node claimed for a user it holds
// or that no one holds (a due reminder) runs here, where the activation
// claims the lease, instead of being placed on another node. A user another
// node took meanwhile is refused here (its lease is not this node's) and the
// work is handed back.
func onThisNode(ctx context.Context) context.Context { return context.WithValue(ctx, hereKey{}, true) }

func servedHere(ctx context.Context) bool { return ctx.Value(hereKey{}) != nil }

// forget drops what this node knows of where uid lives, after the node it
// knew did not answer or refused the user.
func (r *Runtime) forget(uid int64) { r.where.Delete(uid) }

// unreachable is the error of a request whose user's node did not answer:
// if that node is dead, its lease on the user ends when its last renewal
// runs out (by the database clock; nodes' clocks are assumed close), and
// only then can another node take the user, so the caller is told to retry
// just after it instead of every second meanwhile. The lease is read again
// (the route may have been remembered before the node's last renewal).
func (r *Runtime) unreachable(uid int64, to *actor.PID, err error) error {
	wait := routeRetryAfter
	c, cancel := context.WithTimeout(context.Background(), r.cfg.RequestTimeout)
	defer cancel()
	if l, addr, lerr := r.deps.Leases.store.LocateUser(c, juta.UserID(uid)); lerr == nil && addr == to.GetAddress() {
		wait = time.Until(l.ExpiresAt) + routeRetryAfter/4
	}
	wait = min(max(wait, routeRetryAfter), r.deps.Leases.TTL()+routeRetryAfter)
	return &juta.Error{Code: juta.EUNAVAILABLE, Message: "the node holding this account did not answer; retry shortly",
		Err: err, RetryAfter: wait}
}

// retryable gives an unavailable error of a clustered runtime a
// Retry-After: the user is moving, or its node did not answer.
func (r *Runtime) retryable(err error) error {
	if !r.clustered() {
		return err
	}
	var e *juta.Error
	if errors.As(err, &e) && e.Code == juta.EUNAVAILABLE && e.RetryAfter == 0 {
		return &juta.Error{Code: e.Code, Message: e.Message, Err: e.Err, RetryAfter: routeRetryAfter}
	}
	return err
}

// ListenRemote starts protoactor remote for system on addr (host:port; port
// 0 takes a free one) with opts and returns the address other nodes reach it at and
// the function that stops it. Call it before Runtime.Start, in cluster mode
// only: the address is what the node records in the cluster's node table.
func ListenRemote(system *actor.ActorSystem, addr string, opts ...remote.ConfigOption) (string, func(), error) {
	cfg, err := remoteConfig(addr, opts...)
	if err != nil {
		return "", nil, err
	}
	rem := remote.NewRemote(system, cfg)
	if err := listenRemote(rem); err != nil {
		return "", nil, fmt.Errorf("listen on cluster address %s: %w", addr, err)
	}
	return system.Address(), func() { rem.Shutdown(false) }, nil
}

// remoteConfig is remote's configuration for the cluster address addr, with
// opts (the transport's credentials, when the nodes authenticate each other).
func remoteConfig(addr string, opts ...remote.ConfigOption) (*remote.Config, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("cluster address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return nil, fmt.Errorf("cluster address %q: bad port", addr)
	}
	cfg := remote.Configure(host, port, opts...)
	// One connection attempt: a node that cannot be reached is reported at
	// once (its requests are dead-lettered and answered 503 with Retry-After)
	// instead of after the default five attempts two seconds apart.
	cfg.MaxRetryCount = 1
	return cfg, nil
}

// listenRemote runs rem.Start, which panics when it cannot listen.
func listenRemote(rem *remote.Remote) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	rem.Start()
	return nil
}
