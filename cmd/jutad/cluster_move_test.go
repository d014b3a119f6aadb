//go:build cluster

package main

import (
	"context"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"
)

// Test 3: a fourth node joins a loaded cluster of three holding 60 users.
// The nodes above their share hand users over until no node holds more
// than 1.3x the mean; every moved session connects again on its new holder;
// at most 0.5% of the clients' requests fail, each with 503; every message
// is stored once; no user ever has two holders.
func TestClusterJoinUnderLoadRebalances(t *testing.T) {
	e := newClusterEnv(t, 3, 60)
	w := e.watchSessions()
	stopMsgs := e.trickle(50 * time.Millisecond)
	load := e.requests(w, 20*time.Millisecond)
	e.waitSent(60)
	t.Logf("figure: loads before the join %v", e.loads())

	e.startNode("node-3")
	joined := time.Now()
	eventually(t, 60*time.Second, "the new node to get its share", func() bool {
		l := e.loads()
		return len(l) == 4 && l["node-3"] > 0 && balanced(l) && w.allOnline()
	})
	t.Logf("figure: balanced %v after the fourth node was ready: loads %v, %d sessions moved",
		time.Since(joined).Round(100*time.Millisecond), e.loads(), w.moved())
	e.waitSent(100) // the load goes on after the hand-over
	stopMsgs()
	load.check(t, 0.005)
	w.report("sessions moved to the new node")
	if w.moved() == 0 {
		t.Fatal("no session moved")
	}
	e.checkStoredOnce()
	e.checkLeaseHistory(true)
	e.checkSessionsWanted()
}

// Test 4: every node is restarted in turn (SIGTERM, start again, wait until
// it is ready, holds its share again and every session is connected, next)
// under load. No message is
// lost or stored twice; each WebSocket client, reconnecting to its user's
// holder and resuming from its last cursor, receives every cursor of its
// user's event log (duplicates aside); each session's time offline is
// reported.
func TestClusterRollingRestart(t *testing.T) {
	e := newClusterEnv(t, 3, 30)
	w := e.watchSessions()
	var sockets []*watcher
	for _, u := range e.users {
		base := func() string {
			if p := e.node(w.holder(u.s.ID)); p != nil {
				return "http://" + p.addr
			}
			return "http://" + e.node("node-0").addr
		}
		sockets = append(sockets, newWatcher(t, base, u.c.token, 0))
	}
	stop := e.trickle(50 * time.Millisecond)
	e.waitSent(40)
	names := make([]string, 0, len(e.nodes))
	for name := range e.nodes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		began := time.Now()
		e.node(name).kill(syscall.SIGTERM)
		stopped := time.Since(began)
		e.startNode(name)
		eventually(t, 60*time.Second, "every session connected and "+name+" holding its share again", func() bool {
			l := e.loads()
			return l[name] > 0 && balanced(l) && w.allOnline()
		})
		t.Logf("figure: %s drained in %v; every session connected %v after its SIGTERM",
			name, stopped.Round(10*time.Millisecond), time.Since(began).Round(100*time.Millisecond))
	}
	e.waitSent(40)
	stop()
	e.checkStoredOnce()
	e.checkLeaseHistory(true)
	e.checkSessionsWanted()
	w.report("rolling restart")
	dups := 0
	for i, u := range e.users {
		var last int64
		if err := e.db.QueryRow(context.Background(), `SELECT coalesce(max(cursor), 0) FROM events e
			JOIN wa_sessions s ON s.user_id = e.user_id WHERE s.id = $1`, u.s.ID).Scan(&last); err != nil {
			t.Fatal(err)
		}
		all := make([]int64, last)
		for c := range all {
			all[c] = int64(c + 1)
		}
		var missing []int64
		eventually(t, 30*time.Second, fmt.Sprintf("session %d's WebSocket to see cursors 1..%d", u.s.ID, last), func() bool {
			missing, _ = sockets[i].check(all)
			return len(missing) == 0
		})
		_, twice := sockets[i].check(all)
		dups += len(twice)
	}
	t.Logf("figure: every WebSocket client saw its whole event log; %d cursors arrived twice (dropped by cursor)", dups)
}
