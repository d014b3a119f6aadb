package actors

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/remote"
)

// Cluster mode on protoactor's cluster (JUTA_CLUSTER=etcd): the cluster owns
// the node's remote, bound to the cluster address, and the runtime routes its
// requests on the same actor system, so there is one remote per node. The
// provider (etcd) says who is alive and where; the LeaseLookup answers where
// a user lives from the lease table, which stays the fence.

// userKind is the cluster kind of a user; its identity is the user id.
const userKind = "user"

// clusterName is the protoactor cluster every node joins.
const clusterName = "juta"

// gossipExpiry turns off, in effect, the gossip's own eviction: by default
// a member whose gossip heartbeat is 20 s old is blocked for good, its
// connections refused by its actor system's id even after it registers again
// (a node paused that long). The provider alone says who is a member.
const gossipExpiry = 24 * time.Hour

// Member is this node's membership of a protoactor cluster.
type Member struct {
	Cluster  *cluster.Cluster
	provider cluster.ClusterProvider
}

// StartMember makes system a member of the cluster found through provider,
// with remote listening on addr (host:port; port 0 takes a free one; opts
// as ListenRemote's), and
// the kind "user" answered by lookup. It returns the member, whose Addr is
// what other nodes reach it at. A provider that fails (etcd unreachable) is
// an error, never a panic: protoactor's StartMember panics then.
func StartMember(system *actor.ActorSystem, addr string, provider cluster.ClusterProvider, lookup *LeaseLookup,
	opts ...remote.ConfigOption) (*Member, error) {
	rc, err := remoteConfig(addr, opts...)
	if err != nil {
		return nil, err
	}
	kind := cluster.NewKind(userKind, actor.PropsFromProducer(func() actor.Actor { return userGrain{} }))
	c := cluster.New(system, cluster.Configure(clusterName, provider, lookup, rc, cluster.WithKinds(kind),
		cluster.WithHeartbeatExpiration(gossipExpiry)))
	if err := startMember(c); err != nil {
		if c.Remote != nil {
			c.Remote.Shutdown(false)
		}
		return nil, fmt.Errorf("join the cluster on %s: %w", addr, err)
	}
	return &Member{Cluster: c, provider: provider}, nil
}

// startMember runs c.StartMember, which panics when remote cannot listen or
// the provider cannot start.
func startMember(c *cluster.Cluster) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	c.StartMember()
	return nil
}

// Addr is the address other members reach this node at.
func (m *Member) Addr() string { return m.Cluster.ActorSystem.Address() }

// leaveWait bounds the provider's deregistration, which waits for etcd
// without a deadline: a node whose etcd is gone still stops (its etcd
// registration then ends with its etcd lease).
const leaveWait = 2 * time.Second

// Leave takes the node out of the provider's member list (other members see
// it leave at once instead of after its membership times out) and stops
// remote. The actor system is the caller's to shut down.
func (m *Member) Leave() {
	done := make(chan struct{})
	go func() { defer close(done); _ = m.provider.Shutdown(true) }()
	select {
	case <-done:
	case <-time.After(leaveWait):
	}
	m.Cluster.Remote.Shutdown(false)
}

// userGrain is what the kind "user" would spawn. The LeaseLookup never asks
// protoactor to spawn it (it answers the registry, which runs the user's
// actor under passivation, drain and the per-node cap); should a message
// reach one anyway, it goes to the registry of its node.
type userGrain struct{}

func (userGrain) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(userAddressed); ok {
		ctx.Forward(actor.NewPID(ctx.Self().GetAddress(), registryName))
	}
}
