package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/remote"

	"github.com/juta-app/juta/actors"
)

// etcdTimeout bounds the first contact with etcd at start: an unreachable
// etcd is an error then, not a node waiting forever.
const etcdTimeout = 5 * time.Second

// etcdPrefix is where the nodes register under etcd's key space.
const etcdPrefix = "/juta"

// joinEtcd makes the node a member of protoactor's cluster, found through
// etcd (JUTA_ETCD_ENDPOINTS), with the cluster's remote on JUTA_CLUSTER_ADDR
// (with opts, the transport's credentials) and the lease table as the
// identity lookup of the kind "user". It returns
// the address the cluster's remote listens on.
func (m *Main) joinEtcd(ctx context.Context, opts []remote.ConfigOption) (string, error) {
	c := m.cfg.Cluster
	cfg, err := c.Etcd.clientConfig(c.EtcdEndpoints)
	if err != nil {
		return "", err
	}
	if err := c.Etcd.probeEtcd(ctx, cfg); err != nil {
		return "", fmt.Errorf("etcd at %s: %w", strings.Join(c.EtcdEndpoints, ","), err)
	}
	provider, err := newEtcdMembership(cfg, m.log)
	if err != nil {
		return "", fmt.Errorf("etcd at %s: %w", strings.Join(c.EtcdEndpoints, ","), err)
	}
	lookup := actors.NewLeaseLookup(m.db, c.LeaseTTL, m.cfg.RequestTimeout)
	member, err := actors.StartMember(m.system, c.Addr, provider, lookup, opts...)
	if err != nil {
		return "", err
	}
	m.lookup = lookup
	m.remoteStop = member.Leave
	return member.Addr(), nil
}
