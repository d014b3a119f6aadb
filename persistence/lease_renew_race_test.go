package persistence_test

import (
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// renewBlocked starts h's renewal while the lease of first is locked by
// another transaction, waits until the renewal waits for that lock (its
// statement began: its now() is fixed), and returns the function that
// commits the locking transaction and returns the renewal's outcome.
func renewBlocked(t *testing.T, db *persistence.DB, h juta.Holder, first juta.UserID) func() ([]juta.Lease, error) {
	t.Helper()
	ctx := testCtx(t)
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(ctx) })
	if _, err := tx.Exec(ctx, `SELECT 1 FROM leases WHERE user_id = $1 FOR UPDATE`, int64(first)); err != nil {
		t.Fatal(err)
	}
	type result struct {
		leases []juta.Lease
		err    error
	}
	done := make(chan result, 1)
	go func() {
		l, err := db.RenewLeases(ctx, h, testTTL)
		done <- result{l, err}
	}()
	eventually(t, "the renewal to wait for the locked lease", func() bool { return lockWaiters(t, db.Pool()) == 1 })
	return func() ([]juta.Lease, error) {
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		r := <-done
		return r.leases, r.err
	}
}

// A renewal already under way when its node leaves the cluster (a drain)
// does not make the node live again, and one under way when a lease is
// released does not renew that lease: both are judged when the renewal
// reaches the rows, not when its statement began.
func TestLeaseRenewalInFlightDoesNotUndoLeaveOrRelease(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a, b := mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL)
	first, second := mustUser(t, db), mustUser(t, db) // locked in user order: first, then second
	mustClaim(t, db, first.ID, a, testTTL)
	released := mustClaim(t, db, second.ID, a, testTTL)

	finish := renewBlocked(t, db, a, first.ID)
	if err := db.LeaveCluster(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := db.ReleaseLease(ctx, second.ID, released.Token); err != nil {
		t.Fatal(err)
	}
	got, err := finish()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range got {
		if l.UserID == second.ID {
			t.Errorf("the renewal renewed the lease released while it waited: %+v", l)
		}
	}
	if _, err := db.LookupLease(ctx, second.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Errorf("released lease after the renewal: %v, want none", err)
	}
	loads, err := db.NodeLoads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(loads) != 1 || loads[0].Holder != b {
		t.Fatalf("live nodes after a left during a renewal: %+v, want b alone", loads)
	}
}
