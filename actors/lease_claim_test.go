package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// slowClaims is a real lease store that notes a moment inside each claim:
// a renewal sent then may not see the claim, which has not committed yet.
type slowClaims struct {
	juta.LeaseStore
	during time.Time
}

func (s *slowClaims) ClaimLease(ctx context.Context, uid juta.UserID, h juta.Holder, ttl time.Duration) (juta.Lease, error) {
	l, err := s.LeaseStore.ClaimLease(ctx, uid, h, ttl)
	s.during = time.Now() // as if the commit were still on its way
	return l, err
}

// A renewal sent while a claim was in flight (on a loaded machine the claim's
// commit can come after the renewal read the node's leases) does not show the
// new lease; the keeper must not take that as the lease being lost: the user's
// activation would stop at once and its first requests fail.
func TestLeaseKeeperKeepsALeaseClaimedDuringARenewal(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	const ttl = 30 * time.Second
	h, err := db.JoinCluster(ctx, "claim-a", "127.0.0.1:0", juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, newPhone(), "not-a-real-hash", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	store := &slowClaims{LeaseStore: db}
	k := NewLeaseKeeper(store, h, ttl, 0, quietLog())
	var lost []juta.UserID
	k.OnLost = func(uid juta.UserID) { lost = append(lost, uid) }
	if _, err := k.Acquire(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	k.apply(ctx, renewal{sent: store.during}) // sent mid-claim: the lease is not in it
	if _, ok := k.Token(u.ID); !ok || len(lost) != 0 {
		t.Fatalf("after a renewal sent during the claim: trusted %v, lost %v; want kept", ok, lost)
	}
	k.apply(ctx, renewal{sent: time.Now()}) // sent after the claim returned: the lease is gone indeed
	if _, ok := k.Token(u.ID); ok || len(lost) != 1 {
		t.Fatalf("after a renewal sent later without the lease: trusted %v, lost %v; want lost", ok, lost)
	}
}
