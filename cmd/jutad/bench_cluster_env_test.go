//go:build cluster

package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// benchCluster is the cluster of the failover and placement benchmarks: one
// simulator, jutad nodes on one database and, in etcd mode, one etcd. The
// mode is JUTA_BENCH_CLUSTER (etcd, the default, or postgres); every node
// runs with JUTA_LEASE_TTL=JUTA_BENCH_LEASE_TTL (default 6s, the setting's
// default). Users sign up and link on the nodes in turn.
type benchCluster struct {
	tb       testing.TB
	dbURL    string
	conn     *pgx.Conn
	store    *persistence.DB
	sim      *proc
	ttl      time.Duration
	settings []string
	nodes    map[string]*proc
	users    []benchUser
}

func newBenchCluster(tb testing.TB, nodes, users int) *benchCluster {
	tb.Helper()
	c := &benchCluster{tb: tb, dbURL: pgtest.MustURL(tb), nodes: map[string]*proc{},
		ttl: envDuration(tb, "JUTA_BENCH_LEASE_TTL", 6*time.Second)}
	switch mode := or(os.Getenv("JUTA_BENCH_CLUSTER"), "etcd"); mode {
	case "etcd":
		etcd, _ := startEtcd(tb)
		c.settings = []string{"JUTA_CLUSTER=etcd", "JUTA_ETCD_ENDPOINTS=" + etcd}
	case "postgres":
		c.settings = []string{"JUTA_CLUSTER=postgres"}
	default:
		tb.Fatalf("JUTA_BENCH_CLUSTER=%q: etcd or postgres", mode)
	}
	ctx := context.Background()
	var err error
	if c.conn, err = pgx.Connect(ctx, c.dbURL); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.conn.Close(context.Background()) })
	if c.store, err = persistence.Open(ctx, c.dbURL); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.store.Close)
	c.sim = startBenchSim(tb)
	for i := range nodes {
		c.startNode(fmt.Sprintf("node-%d", i))
	}
	for i := range nodes {
		n := users/nodes + min(1, max(0, users%nodes-i)) // the remainder on the first nodes
		base := "http://" + c.nodes[fmt.Sprintf("node-%d", i)].addr
		c.users = append(c.users, setupUsers(tb, base, c.sim.addr, n, 60194000000+int64(i)*1000)...)
	}
	c.waitSettled(nodes)
	return c
}

// startNode starts the node name and waits until it is ready.
func (c *benchCluster) startNode(name string) {
	node := []string{"JUTA_NODE_ID=" + name, "JUTA_LEASE_TTL=" + c.ttl.String()}
	c.nodes[name] = startServer(c.tb, c.dbURL, c.sim.addr, slices.Concat(benchClusterSettings(), node, c.settings)...)
}

// loads counts the live leases of each live node.
func (c *benchCluster) loads() map[string]int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list, err := c.store.NodeLoads(ctx)
	if err != nil {
		c.tb.Fatal(err)
	}
	out := map[string]int{}
	for _, l := range list {
		out[l.Node] = l.Leases
	}
	return out
}

// holders maps each session held by a live lease to the node holding it.
func (c *benchCluster) holders() map[int64]string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := c.conn.Query(ctx, `SELECT s.id, l.node FROM wa_sessions s
		JOIN leases l ON l.user_id = s.user_id AND l.expires_at > now()`)
	if err != nil {
		c.tb.Fatal(err)
	}
	out := map[int64]string{}
	for rows.Next() {
		var sid int64
		var node string
		if err := rows.Scan(&sid, &node); err != nil {
			c.tb.Fatal(err)
		}
		out[sid] = node
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		c.tb.Fatal(err)
	}
	return out
}

// connectedOn tells whether node answers u's session connected.
func (c *benchCluster) connectedOn(node string, u benchUser) bool {
	p := c.nodes[node]
	if p == nil {
		return false
	}
	var s struct{ State string }
	code, err := benchCall(benchHTTP, "GET", fmt.Sprintf("http://%s/api/sessions/%d", p.addr, u.session), u.token, nil, &s)
	return err == nil && code == 200 && s.State == "connected"
}

// allConnected tells whether every user's session is connected on the node
// holding it.
func (c *benchCluster) allConnected() bool {
	h := c.holders()
	for _, u := range c.users {
		if !c.connectedOn(h[u.session], u) {
			return false
		}
	}
	return true
}

// waitSettled waits until nodes nodes are live, every session is connected
// on its holder, and the loads have not changed for one lease TTL (the
// rebalancing sweepers had their say). It returns when the loads last
// changed.
func (c *benchCluster) waitSettled(nodes int) time.Time {
	c.tb.Helper()
	var last map[string]int
	changed := time.Now()
	err := pollUntil(3*time.Minute, func() bool {
		l := c.loads()
		if !maps.Equal(l, last) {
			last, changed = l, time.Now()
		}
		return len(l) == nodes && time.Since(changed) >= c.ttl && c.allConnected()
	})
	if err != nil {
		c.tb.Fatalf("%d nodes with steady loads and every session connected: %v (loads %v)", nodes, err, last)
	}
	return changed
}

// moves is what moveTimes saw.
type moves struct {
	times     []float64 // seconds from the signal to connected elsewhere, sorted
	missed    int       // sessions not connected elsewhere within two minutes
	leaseLeft float64   // seconds the victim's longest lease had left at the signal
}

// moveTimes signals node victim with signal() and follows each session it
// held until the session is connected on another node.
func (c *benchCluster) moveTimes(victim string, signal func()) moves {
	c.tb.Helper()
	var pending []benchUser
	h := c.holders()
	for _, u := range c.users {
		if h[u.session] == victim {
			pending = append(pending, u)
		}
	}
	if len(pending) == 0 {
		c.tb.Fatalf("%s holds no user", victim)
	}
	var left float64
	if err := c.conn.QueryRow(context.Background(), `SELECT extract(epoch FROM max(expires_at) - now())::float8
		FROM leases WHERE node = $1`, victim).Scan(&left); err != nil {
		c.tb.Fatal(err)
	}
	signal()
	start := time.Now()
	var times []float64
	_ = pollUntil(2*time.Minute, func() bool {
		h := c.holders()
		pending = slices.DeleteFunc(pending, func(u benchUser) bool {
			node := h[u.session]
			if node == "" || node == victim || !c.connectedOn(node, u) {
				return false
			}
			times = append(times, time.Since(start).Seconds())
			return true
		})
		return len(pending) == 0
	})
	slices.Sort(times)
	return moves{times: times, missed: len(pending), leaseLeft: left}
}

// maxOverMean is the largest load over the mean load.
func maxOverMean(loads map[string]int) float64 {
	if len(loads) == 0 {
		return 0
	}
	total, top := 0, 0
	for _, n := range loads {
		total += n
		top = max(top, n)
	}
	return float64(top) / (float64(total) / float64(len(loads)))
}
