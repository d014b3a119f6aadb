package main

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// A node keeps one subscription per user however many sockets watch it:
// three sockets of an owner and two of a friend the owner shares a session
// with make two subscriptions on the node's user actors (the owner's, which
// the friend's shared events ride too, and the friend's own), not six.
func TestSocketsAndSharesOfAUserShareOneSubscription(t *testing.T) {
	t.Parallel()
	sim := startSim(t)
	srv := startServer(t, pgtest.MustURL(t), sim.addr, "JUTA_METRICS_TOKEN="+testMetricsToken)
	base := "http://" + srv.addr
	const ownerPhone, friendPhone = "+60123590001", "+60123590002"
	owner := register(t, base, ownerPhone)
	s := owner.link(sim.addr, ownerPhone)
	friend := register(t, base, friendPhone)
	shares := fmt.Sprintf("%s/api/sessions/%d/shares", base, s.ID)
	if code := call(t, "POST", shares, owner.token, map[string]string{"phoneNumber": friendPhone, "role": "viewer"}, nil); code != 201 {
		t.Fatalf("share: status %d", code)
	}
	var friends []*socket
	for range 3 {
		owner.openSocket(t)
	}
	for range 2 {
		friends = append(friends, friend.openSocket(t))
	}
	for _, ws := range friends {
		eventually(t, 20*time.Second, "the share notice", func() bool { return ws.has("share.granted") })
	}
	var subs, hubs int
	eventually(t, 20*time.Second, "two subscriptions, one per user", func() bool {
		m := figures(t, base)
		subs, hubs = m["juta_subscribers"], m["juta_stream_hubs"]
		return subs == 2 && hubs == 2
	})
	t.Logf("figure: 5 sockets of 2 users (one following a shared session): %d subscriptions, %d hubs", subs, hubs)
}

// figures reads the node's unlabelled Prometheus figures.
func figures(t *testing.T, base string) map[string]int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := map[string]int{}
	lines := bufio.NewScanner(res.Body)
	for lines.Scan() {
		name, value, ok := strings.Cut(lines.Text(), " ")
		if n, err := strconv.ParseFloat(value, 64); ok && err == nil && !strings.HasPrefix(name, "#") {
			out[name] = int(n)
		}
	}
	return out
}
