package actors

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// The identity lookup of the kind "user" over the lease table, with the
// members a cluster provider announced: a user held by no one goes to the
// live member holding the fewest leases (a node live in the lease table but
// not a member is never chosen), a held user to its holder's registry, and a
// user whose holder left the member list while its lease runs gets no PID
// (the request path answers 503 with Retry-After) until the lease ends.
func TestLeaseLookupAnswersTheHoldersRegistry(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	const ttl = 30 * time.Second
	join := func(node, addr string) juta.Holder {
		h, err := db.JoinCluster(ctx, node, addr, juta.ClusterSettings{LeaseTTL: ttl})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	user := func() juta.UserID {
		u, err := db.CreateUser(ctx, newPhone(), "not-a-real-hash", juta.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	a, _ := join("look-a", "127.0.0.1:7101"), join("look-b", "127.0.0.1:7102")
	join("look-0", "127.0.0.1:7100") // live in the lease table, never a member: holds nothing, never chosen
	for range 2 {
		if _, err := db.ClaimLease(ctx, user(), a, ttl); err != nil {
			t.Fatal(err)
		}
	}

	system := NewSystem(quietLog())
	l := NewLeaseLookup(db, ttl, 5*time.Second)
	l.Setup(&cluster.Cluster{ActorSystem: system}, []string{userKind}, false)
	announce := func(ports ...int) {
		var ms []*cluster.Member
		for _, p := range ports {
			ms = append(ms, &cluster.Member{Id: strconv.Itoa(p), Host: "127.0.0.1", Port: int32(p), Kinds: []string{userKind}})
		}
		system.EventStream.Publish(&cluster.ClusterTopology{Members: ms})
	}
	announce(7101, 7102)
	get := func(uid juta.UserID) *actor.PID {
		return l.Get(cluster.NewClusterIdentity(strconv.FormatInt(int64(uid), 10), userKind))
	}

	free := user()
	if pid := get(free); pid.GetAddress() != "127.0.0.1:7102" || pid.GetId() != registryName {
		t.Fatalf("a user held by no one: %v, want the registry of look-b (no leases)", pid)
	}
	if _, err := db.ClaimLease(ctx, free, a, ttl); err != nil { // its activation claimed it on look-a instead
		t.Fatal(err)
	}
	if pid := get(free); pid.GetAddress() != "127.0.0.1:7101" || pid.GetId() != registryName {
		t.Fatalf("a user held by look-a: %v, want look-a's registry", pid)
	}

	announce(7102) // look-a left the cluster; its lease runs on
	if pid := get(free); pid != nil {
		t.Fatalf("a user whose holder left: %v, want none while its lease runs", pid)
	}
	_, err := l.locate(ctx, int64(free))
	var e *juta.Error
	if juta.ErrorCode(err) != juta.EUNAVAILABLE || !errors.As(err, &e) || e.RetryAfter < routeRetryAfter || e.RetryAfter > ttl+routeRetryAfter {
		t.Fatalf("locate a moving user: %v, want unavailable with a Retry-After within the lease", err)
	}
	if pid := l.Get(cluster.NewClusterIdentity("not-a-user", userKind)); pid != nil {
		t.Fatalf("a bad identity: %v", pid)
	}
	if pid := l.Get(cluster.NewClusterIdentity(strconv.FormatInt(int64(free), 10), "topic")); pid != nil {
		t.Fatalf("another kind: %v", pid)
	}
	announce()
	if _, err := l.locate(ctx, int64(user())); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("placing with no member: %v, want unavailable", err)
	}
}

// Without a member list (JUTA_CLUSTER=postgres) the node table is the
// membership: a user whose holder left it (a drain) while its lease runs is
// moving, a refusal the request path sends again, with a Retry-After within
// the lease.
func TestLeaseLookupUserOfANodeThatLeftTheNodeTable(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	const ttl = 30 * time.Second
	a, err := db.JoinCluster(ctx, "left-a", "127.0.0.1:7201", juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, newPhone(), "not-a-real-hash", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimLease(ctx, u.ID, a, ttl); err != nil {
		t.Fatal(err)
	}
	if err := db.LeaveCluster(ctx, a); err != nil {
		t.Fatal(err)
	}
	_, err = NewLeaseLookup(db, ttl, 5*time.Second).locate(ctx, int64(u.ID))
	var e *juta.Error
	if !unserved(err) || !errors.As(err, &e) || e.RetryAfter <= routeRetryAfter || e.RetryAfter > ttl+routeRetryAfter {
		t.Fatalf("locate a user whose holder left: %v, want a refusal sent again, Retry-After within the lease", err)
	}
}
