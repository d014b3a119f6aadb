//go:build cluster

package main

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// newEtcdClusterEnv is newClusterEnv with the nodes members of protoactor's
// cluster through a fresh etcd (JUTA_CLUSTER=etcd).
func newEtcdClusterEnv(t *testing.T, nodes, users int) (*clusterEnv, string, func()) {
	etcd, kill := startEtcd(t)
	return newClusterEnvWith(t, nodes, users, "JUTA_CLUSTER=etcd", "JUTA_ETCD_ENDPOINTS="+etcd), etcd, kill
}

// etcdMembers counts the cluster members registered in etcd (under the
// prefix jutad uses), through etcd's JSON gateway; -1 when etcd did not answer.
func etcdMembers(t *testing.T, etcd string) int {
	b64 := base64.StdEncoding.EncodeToString
	var out struct {
		Count string `json:"count"`
	}
	body := map[string]any{"key": b64([]byte("/juta/")), "range_end": b64([]byte("/juta0")), "count_only": true}
	if call(t, "POST", etcd+"/v3/kv/range", "", body, &out) != 200 {
		return -1
	}
	n, err := strconv.Atoi(or(out.Count, "0"))
	if err != nil {
		return -1
	}
	return n
}

// checkOnEveryNode reads u's session through every running node but
// exclude: each answers it connected, from the node that holds the user.
func (e *clusterEnv) checkOnEveryNode(u *clusterUser, exclude string) {
	e.t.Helper()
	for name, p := range e.nodes {
		if name == exclude {
			continue
		}
		var s session
		url := fmt.Sprintf("http://%s/api/sessions/%d", p.addr, u.s.ID)
		eventually(e.t, 10*time.Second, fmt.Sprintf("session %d connected through %s", u.s.ID, name), func() bool {
			return call(e.t, "GET", url, u.c.token, nil, &s) == 200 && s.State == "connected"
		})
	}
}

// Tests 1 and 5 with JUTA_CLUSTER=etcd: three members of protoactor's
// cluster found through etcd, the kind user answered from the lease table.
// Requests on any node reach the user's holder; a SIGKILL of a holder moves
// its sessions to the survivors (etcd drops the dead member; its leases
// expire), every message is stored once, the lease history never shows two
// holders at once and the simulator sees no ack on a replaced connection
// and no connection made with a stale token. Without etcd, a node still
// stops on SIGTERM.
func TestClusterEtcdKillNodeMovesItsSessions(t *testing.T) {
	e, etcd, killEtcd := newEtcdClusterEnv(t, 3, 30)
	if n := etcdMembers(t, etcd); n != 3 {
		t.Fatalf("etcd lists %d members, want the 3 nodes", n)
	}
	for _, u := range e.users[:3] {
		e.checkOnEveryNode(u, "")
	}
	moved := e.killAndWait("node-0")
	eventually(t, 30*time.Second, "etcd to drop the killed member", func() bool { return etcdMembers(t, etcd) == 2 })
	for _, u := range moved[:min(3, len(moved))] {
		e.checkOnEveryNode(u, "node-0")
	}
	// With etcd gone, a node still drains and stops on SIGTERM (leaving etcd
	// is bounded; its registration ends with its etcd lease).
	killEtcd()
	p := e.node("node-1")
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	eventually(t, 30*time.Second, "node-1 to stop without etcd", func() bool {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	})
}
