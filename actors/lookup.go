package actors

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	juta "github.com/juta-app/juta"
)

// LeaseLookup is protoactor's IdentityLookup for the kind "user" over the
// lease table in PostgreSQL (the idea of protoactor's StorageLookup): the
// cluster's members (from its provider, etcd) say who is alive and where; the
// lease says who holds a user and fences its writes. Get answers the
// registry of the member whose live lease holds the user; a user held by no
// one is placed on the live member holding the fewest leases, whose registry
// activates it (the activation claims the lease); a user whose holder is
// gone but whose lease has not expired yet is moving: Get answers nil at
// once and the request path answers 503 with Retry-After. The stock
// disthash lookup is not used: it hashes users to members, so a member that
// joins takes users another member still runs.
//
// Safe for concurrent use.
type LeaseLookup struct {
	store   juta.LeaseStore
	ttl     time.Duration
	timeout time.Duration // of Get, which takes no context

	mu       sync.RWMutex
	followed bool            // Setup ran: members is the cluster's member list
	members  map[string]bool // live members' addresses, from the cluster's topology
}

var _ cluster.IdentityLookup = (*LeaseLookup)(nil)

// NewLeaseLookup returns a lookup over store for a cluster whose leases live
// ttl; Get gives up after timeout. Until Setup hooks it to a cluster, the
// lease table's live nodes are the members (JUTA_CLUSTER=postgres).
func NewLeaseLookup(store juta.LeaseStore, ttl, timeout time.Duration) *LeaseLookup {
	return &LeaseLookup{store: store, ttl: ttl, timeout: timeout, members: map[string]bool{}}
}

// Setup follows the cluster's member list (its provider publishes each
// change as a ClusterTopology).
func (l *LeaseLookup) Setup(c *cluster.Cluster, _ []string, _ bool) {
	c.ActorSystem.EventStream.Subscribe(func(evt any) {
		if t, ok := evt.(*cluster.ClusterTopology); ok {
			l.setMembers(t.Members)
		}
	})
}

func (l *LeaseLookup) setMembers(members []*cluster.Member) {
	set := make(map[string]bool, len(members))
	for _, m := range members {
		set[m.Address()] = true
	}
	l.mu.Lock()
	l.followed, l.members = true, set
	l.mu.Unlock()
}

// Members is how many members the cluster's member list holds as this node
// last saw it (this node included), 0 before the first list.
func (l *LeaseLookup) Members() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.members)
}

// live tells whether the member at addr is in the cluster now.
func (l *LeaseLookup) live(addr string) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return !l.followed || l.members[addr]
}

// Get answers the registry serving the identity's user, or nil (the user
// is moving, no member is live, or the database did not answer in time).
func (l *LeaseLookup) Get(ci *cluster.ClusterIdentity) *actor.PID {
	uid, err := strconv.ParseInt(ci.GetIdentity(), 10, 64)
	if err != nil || ci.GetKind() != userKind {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	at, err := l.locate(ctx, uid)
	if err != nil {
		return nil
	}
	return at.to
}

// RemovePid is a no-op: nothing is cached here; the runtime forgets its own
// routes when a node does not answer.
func (l *LeaseLookup) RemovePid(*cluster.ClusterIdentity, *actor.PID) {}

// Shutdown is a no-op: the leases are the runtime's to release (drain).
func (l *LeaseLookup) Shutdown() {}

// locate is where uid's requests go: the holder's registry, or the least
// loaded live member's for a user held by no one (remoteUntil zero then:
// the route is not remembered, the activation's lease is read next time).
// In both, holder is the node that holds or is to hold the user.
func (l *LeaseLookup) locate(ctx context.Context, uid int64) (route, error) {
	lease, addr, err := l.store.LocateUser(ctx, juta.UserID(uid))
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		return l.place(ctx, uid)
	case juta.ErrorCode(err) == juta.EUNAVAILABLE: // its holder left the node table
		return route{}, l.moving(lease)
	case err != nil:
		return route{}, err
	case !l.live(addr):
		return route{}, l.moving(lease)
	}
	return route{to: actor.NewPID(addr, registryName), holder: lease.Holder, remoteUntil: lease.ExpiresAt}, nil
}

// place picks the live member holding the fewest live leases (node order
// breaks ties); its registry activates the user, whose start claims the
// lease. Two nodes placing one user at once may pick different members: the
// lease lets one activation win, the other's request gets 503 and is retried.
func (l *LeaseLookup) place(ctx context.Context, uid int64) (route, error) {
	loads, err := l.store.NodeLoads(ctx)
	if err != nil {
		return route{}, err
	}
	best := -1
	for i, n := range loads {
		if l.live(n.Addr) && (best < 0 || n.Leases < loads[best].Leases) {
			best = i
		}
	}
	if best < 0 {
		return route{}, &juta.Error{Code: juta.EUNAVAILABLE, RetryAfter: routeRetryAfter, Message: msgNoNode}
	}
	return route{to: actor.NewPID(loads[best].Addr, registryName), holder: loads[best].Holder}, nil
}

// moving is the error for a user whose holder left the cluster (the member
// list, or the node table) while its lease runs: another member can take
// the user once the lease is released or expires. The request path sends
// the request again meanwhile (see unserved).
func (l *LeaseLookup) moving(lease juta.Lease) error {
	wait := min(max(time.Until(lease.ExpiresAt)+routeRetryAfter/4, routeRetryAfter), l.ttl+routeRetryAfter)
	return &juta.Error{Code: juta.EUNAVAILABLE, RetryAfter: wait, Message: msgHolderGone}
}
