//go:build cluster

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// metric reads one figure of node's /metrics (the nodes of these runs serve
// it behind testMetricsToken); -1 when the node did not give it.
func (e *clusterEnv) metric(node, name string) float64 {
	req, _ := http.NewRequest(http.MethodGet, "http://"+e.node(node).addr+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	res, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

// waitMembers waits until every running node but exclude sees n members in
// the cluster's member list.
func (e *clusterEnv) waitMembers(n int, exclude string) {
	e.t.Helper()
	for name := range e.nodes {
		if name == exclude {
			continue
		}
		eventually(e.t, 30*time.Second, fmt.Sprintf("%s to see %d members", name, n), func() bool {
			return e.metric(name, "juta_cluster_members") == float64(n)
		})
	}
}

// registrations are the members' keys in etcd with their etcd leases.
func (s *etcdServer) registrations() map[string]clientv3.LeaseID {
	s.t.Helper()
	cli := s.Client()
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	res, err := cli.Get(ctx, etcdPrefix+"/", clientv3.WithPrefix())
	if err != nil {
		return nil
	}
	out := map[string]clientv3.LeaseID{}
	for _, kv := range res.Kvs {
		out[string(kv.Key)] = clientv3.LeaseID(kv.Lease)
	}
	return out
}

// newEtcdEnv is newClusterEnv in etcd mode, on an etcd of the test's own.
func newEtcdEnv(t *testing.T, nodes, users int) (*clusterEnv, *etcdServer) {
	t.Helper()
	srv := newEtcdServer(t, nil)
	return newClusterEnvWith(t, nodes, users, etcdSettings(srv)...), srv
}

// etcdSettings are the nodes' settings for etcd mode on srv, with /metrics.
func etcdSettings(srv *etcdServer) []string {
	return []string{"JUTA_CLUSTER=etcd", "JUTA_ETCD_ENDPOINTS=" + srv.URL, "JUTA_METRICS_TOKEN=" + testMetricsToken}
}

// etcd lost while three nodes serve 30 users: with etcd killed (SIGKILL),
// the users keep working on their holders and through the other nodes,
// every message is stored once, and a user no node held is placed on a
// member of the member list the nodes last saw (the lease table stays the
// directory and the fence). etcd started again on its data: every node
// registers again under a new etcd lease without a restart and sees the
// three members; a SIGKILL of a holder afterwards still moves its sessions
// and the survivors see the dead member leave.
func TestClusterEtcdLostWhileRunning(t *testing.T) {
	e, srv := newEtcdEnv(t, 3, 30)
	e.waitMembers(3, "")
	before := srv.registrations()
	if len(before) != 3 {
		t.Fatalf("etcd holds %d registrations, want 3", len(before))
	}
	stop := e.trickle(50 * time.Millisecond)
	e.waitSent(40)

	srv.Kill()
	lost := time.Now()
	for _, u := range e.users[:6] {
		e.checkOnEveryNode(u, "")
	}
	e.waitSent(60) // ingest goes on
	stop()
	placed := &clusterUser{owner: "+60123569801", contact: "+60123579801"}
	placed.c = registerFrom(t, "http://"+e.node("node-2").addr, placed.owner, 98)
	placed.s = placed.c.link(e.sim.addr, placed.owner)
	owner := e.waitOwner(placed.s.ID)
	e.checkOnEveryNode(placed, "")
	e.users = append(e.users, placed)
	e.sendOne(placed)
	t.Logf("figure: with etcd down, a new user was placed on %s and served through every node", owner)
	eventually(t, 30*time.Second, "etcd down for twice the member TTL", func() bool {
		return time.Since(lost) >= 2*memberTTL
	})

	srv.Start()
	restarted := time.Now()
	kept := 0
	eventually(t, 30*time.Second, "every node registered again under a new etcd lease", func() bool {
		now := srv.registrations()
		fresh, same := 0, 0
		for key, lease := range now {
			if old, ok := before[key]; !ok || old != lease {
				fresh++
			}
			if _, ok := before[key]; ok {
				same++
			}
		}
		kept = same
		return len(now) == 3 && fresh == 3
	})
	e.waitMembers(3, "")
	t.Logf("figure: %v after etcd restarted (down %v), the 3 nodes were registered again (%d under their old member id) and saw 3 members",
		time.Since(restarted).Round(100*time.Millisecond), restarted.Sub(lost).Round(100*time.Millisecond), kept)
	e.checkStoredOnce()

	e.killAndWait("node-0")
	e.waitMembers(2, "node-0")
	if n := srv.Members(); n != 2 {
		t.Fatalf("etcd lists %d members after the kill, want 2", n)
	}
}

// rejoinedAsNewMember waits until etcd holds three registrations, one of
// them new (a member stalled past its etcd lease was dropped, and
// protoactor never admits its member id again), and every node sees three
// members.
func (e *clusterEnv) rejoinedAsNewMember(srv *etcdServer, before map[string]clientv3.LeaseID) {
	e.t.Helper()
	eventually(e.t, 30*time.Second, "the resumed node registered as a new member", func() bool {
		now, kept := srv.registrations(), 0
		for key := range now {
			if _, ok := before[key]; ok {
				kept++
			}
		}
		return len(now) == 3 && kept == 2
	})
	e.waitMembers(3, "")
}
