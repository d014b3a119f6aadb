//go:build cluster

package main

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// spreadSockets opens a WebSocket for every user, each connection (and each
// reconnection, resuming from its last cursor) on the next running node
// round robin, whether or not it holds the user.
func (e *clusterEnv) spreadSockets() []*watcher {
	var sockets []*watcher
	for i, u := range e.users {
		var dials atomic.Int64
		base := func() string { return "http://" + e.roundRobin(i+int(dials.Add(1))-1).addr }
		sockets = append(sockets, newWatcher(e.t, base, u.c.token, 0))
	}
	return sockets
}

// checkSockets waits until each user's socket has seen every cursor of its
// user's event log and returns how many arrived twice (across reconnects;
// a client drops them by cursor).
func (e *clusterEnv) checkSockets(sockets []*watcher) (dups int) {
	e.t.Helper()
	for i, u := range e.users {
		var last int64
		if err := e.db.QueryRow(context.Background(), `SELECT coalesce(max(cursor), 0) FROM events e
			JOIN wa_sessions s ON s.user_id = e.user_id WHERE s.id = $1`, u.s.ID).Scan(&last); err != nil {
			e.t.Fatal(err)
		}
		all := make([]int64, last)
		for c := range all {
			all[c] = int64(c + 1)
		}
		var missing []int64
		eventually(e.t, 30*time.Second, fmt.Sprintf("session %d's WebSocket to see cursors 1..%d", u.s.ID, last), func() bool {
			missing, _ = sockets[i].check(all)
			return len(missing) == 0
		})
		_, twice := sockets[i].check(all)
		dups += len(twice)
	}
	return dups
}

// p99 is the 99th percentile of the finished offline stretches (0 if none).
func (w *sessionWatch) p99() time.Duration {
	w.mu.Lock()
	d := slices.Clone(w.outages)
	w.mu.Unlock()
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(0.99*float64(len(d))))]
}
