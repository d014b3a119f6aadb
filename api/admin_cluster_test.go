package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// Cluster mode: the admin view names the node holding the owner's lease, not
// the node that answers, and no node once the lease is gone.
func TestAdminSessionsNameTheLeaseHolder(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(c *Config) { c.Cluster, c.NodeID = true, "answering-node" })
	root := e.mustCreate(t, "+60125550101", juta.RoleAdmin)
	e.mustSession(t, e.bob.id, "bob's phone")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h, err := e.db.JoinCluster(ctx, "holder-node", "", juta.ClusterSettings{LeaseTTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	l, err := e.db.ClaimLease(ctx, e.bob.id, h, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodGet, "/api/admin/sessions", bearerHeader(root.token), "")
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"node":"holder-node"`) ||
		strings.Contains(string(res.body), "answering-node") {
		t.Fatalf("sessions while holder-node holds bob: %d %s", res.status, res.body)
	}
	if err := e.db.ReleaseLease(ctx, e.bob.id, l.Token); err != nil {
		t.Fatal(err)
	}
	res = e.do(t, http.MethodGet, "/api/admin/sessions", bearerHeader(root.token), "")
	if res.status != http.StatusOK || strings.Contains(string(res.body), `"node"`) {
		t.Fatalf("sessions after the release: %d %s", res.status, res.body)
	}
}
