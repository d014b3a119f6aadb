package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors"
)

// ClusterConfig is cluster mode's part of the configuration (README,
// "Cluster mode"). Without JUTA_CLUSTER the node runs alone, as always.
type ClusterConfig struct {
	// Mode is JUTA_CLUSTER: "" (single node), postgres (membership in the
	// lease table, requests routed over protoactor remote) or etcd (a member
	// of protoactor's cluster, found through etcd).
	Mode string
	// Node is this node's name in the cluster: JUTA_NODE_ID, else the host
	// name and the port of JUTA_ADDR (several nodes may share a host).
	Node          string
	Addr          string        // JUTA_CLUSTER_ADDR: the node's cluster address, loopback by default
	EtcdEndpoints []string      // JUTA_ETCD_ENDPOINTS: comma-separated, for JUTA_CLUSTER=etcd
	Etcd          EtcdAuth      // JUTA_ETCD_TLS_*, JUTA_ETCD_USERNAME, JUTA_ETCD_PASSWORD_FILE
	LeaseTTL      time.Duration // JUTA_LEASE_TTL, default 6s: how long a node holds users after its last renewal
	TLS           ClusterTLS    // JUTA_CLUSTER_TLS_*: mutual TLS between nodes
}

// clusterModes are the JUTA_CLUSTER values.
var clusterModes = map[string]bool{"": true, "postgres": true, "etcd": true}

func loadClusterConfig(getenv func(string) string, httpAddr string, errs *[]error) ClusterConfig {
	c := ClusterConfig{Mode: getenv("JUTA_CLUSTER"), Addr: or(getenv("JUTA_CLUSTER_ADDR"), "127.0.0.1:0")}
	if !clusterModes[c.Mode] {
		*errs = append(*errs, fmt.Errorf("JUTA_CLUSTER must be postgres, etcd or unset, not %q", c.Mode))
	}
	for _, e := range strings.Split(getenv("JUTA_ETCD_ENDPOINTS"), ",") {
		if e = strings.TrimSpace(e); e != "" {
			c.EtcdEndpoints = append(c.EtcdEndpoints, e)
		}
	}
	if c.Mode == "etcd" && len(c.EtcdEndpoints) == 0 {
		*errs = append(*errs, fmt.Errorf("JUTA_CLUSTER=etcd needs JUTA_ETCD_ENDPOINTS (etcd client URLs, comma-separated)"))
	}
	c.Etcd = loadEtcdAuth(getenv, c.EtcdEndpoints, errs)
	var err error
	if c.LeaseTTL, err = parseDuration(getenv("JUTA_LEASE_TTL"), 6*time.Second); err != nil {
		*errs = append(*errs, fmt.Errorf("JUTA_LEASE_TTL: %w", err))
	} else if c.LeaseTTL < time.Second {
		*errs = append(*errs, fmt.Errorf("JUTA_LEASE_TTL must be at least 1s, got %s", c.LeaseTTL))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		*errs = append(*errs, fmt.Errorf("JUTA_CLUSTER_ADDR must be host:port, got %q", c.Addr))
	}
	c.TLS = loadClusterTLS(getenv, errs)
	c.Node = getenv("JUTA_NODE_ID")
	if c.Node == "" {
		_, port, _ := net.SplitHostPort(httpAddr)
		c.Node = nodeID(getenv) + ":" + port
	}
	return c
}

// clusterChecks are the settings cluster mode refuses.
func (c Config) clusterChecks() []error {
	if c.Cluster.Mode == "" {
		return nil
	}
	if c.WhatsApp == "sim" && c.SimURL == "" {
		return []error{fmt.Errorf("cluster mode needs a shared simulator (JUTA_SIM_URL): an in-process one " +
			"is one network per node")}
	}
	return nil
}

// joinCluster starts protoactor remote on the cluster address (other nodes
// route their requests for this node's users to it), or in etcd mode joins
// protoactor's cluster, which owns the remote; registers the node with the
// address remote listens on and returns its lease keeper, or nil in
// single-node mode. The keeper runs from startLeaseKeeper, after the runtime
// has hooked its callbacks.
func (m *Main) joinCluster(ctx context.Context) (*actors.LeaseKeeper, error) {
	c := m.cfg.Cluster
	if c.Mode == "" {
		return nil, nil
	}
	addr, err := m.listenCluster(ctx)
	if err != nil {
		return nil, err
	}
	c.Addr = addr
	settings := juta.ClusterSettings{LeaseTTL: c.LeaseTTL, SendPerMinute: m.cfg.SendPerMinute, SendBurst: m.cfg.SendBurst}
	h, err := m.db.JoinCluster(ctx, c.Node, c.Addr, settings)
	if err != nil {
		return nil, fmt.Errorf("join cluster as %s: %w", c.Node, err)
	}
	m.log.Info("joined cluster", "mode", c.Mode, "node", h.Node, "incarnation", h.Incarnation, "lease_ttl", c.LeaseTTL,
		"cluster_addr", addr)
	k := actors.NewLeaseKeeper(m.db, h, c.LeaseTTL, 0, m.log)
	k.Addr, k.Pacing = c.Addr, settings
	return k, nil
}

// listenCluster starts the node's remote, its own (postgres mode) or the
// cluster's (etcd mode), and returns the address it listens on.
func (m *Main) listenCluster(ctx context.Context) (string, error) {
	c := m.cfg.Cluster
	opts, err := c.TLS.remoteOptions()
	if err != nil {
		return "", err
	}
	if c.Mode == "etcd" {
		return m.joinEtcd(ctx, opts)
	}
	addr, stop, err := actors.ListenRemote(m.system, c.Addr, opts...)
	if err != nil {
		return "", err
	}
	m.remoteStop = stop
	return addr, nil
}

func (m *Main) startLeaseKeeper() {
	if m.keeper == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); m.keeper.Run(ctx) }()
	m.keeperStop = func() { cancel(); <-done }
}

// stopLeaseKeeper stops renewing, after the drain released the leases.
func (m *Main) stopLeaseKeeper() {
	if m.keeperStop != nil {
		m.keeperStop()
		m.keeperStop = nil
	}
}

// sharedTickets keeps WebSocket tickets in PostgreSQL in cluster mode, so that
// a ticket issued on one node opens a socket on any; alone, a node keeps
// them in memory.
func (m *Main) sharedTickets() juta.TicketStore {
	if m.keeper == nil {
		return nil
	}
	return m.db
}
