package persistence_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Prune removes what no check reads any more, across users, and nothing
// else: live refresh tokens, recent or locked login counters, live
// Idempotency-Key claims and dead letters all stay.
func TestPruneKeepsWhatIsStillRead(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	now := time.Now()
	policy := juta.LockoutPolicy{Threshold: 1, Base: time.Hour, Max: time.Hour, Forget: 24 * time.Hour}
	a, b := mustUser(t, db), mustUser(t, db)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	_, err := db.CreateRefreshToken(ctx, a.ID, hashOf("expired"), now.Add(-48*time.Hour))
	must("expired token", err)
	live, err := db.CreateRefreshToken(ctx, b.ID, hashOf("live"), now.Add(time.Hour))
	must("live token", err)
	_, err = db.Pool().Exec(ctx, `UPDATE refresh_families SET created_at = $1`, now.Add(-72*time.Hour))
	must("age families", err)

	_, err = db.RecordLoginFailure(ctx, "+60110000001", now.Add(-48*time.Hour), policy) // quiet, its lock long over
	must("old failure", err)
	_, err = db.RecordLoginFailure(ctx, "+60110000002", now.Add(-time.Hour), policy) // recent
	must("recent failure", err)
	_, err = db.Pool().Exec(ctx, `INSERT INTO login_failures (key, failures, locks, locked_until, last_failure)
		VALUES ('+60110000003', 0, 9, $1, $2)`, now.Add(time.Hour), now.Add(-48*time.Hour)) // quiet but still locked
	must("locked key", err)

	_, _, err = db.ClaimIdempotencyKey(ctx, a.ID, "old", hashOf("r1"), now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	must("expired claim", err)
	_, _, err = db.ClaimIdempotencyKey(ctx, b.ID, "new", hashOf("r2"), now, now.Add(time.Hour))
	must("live claim", err)
	_, err = db.IssueTicket(ctx, a.ID, hashOf("old ticket"), []byte("{}"), -time.Second, -1)
	must("expired ticket", err)
	_, err = db.IssueTicket(ctx, b.ID, hashOf("live ticket"), []byte("{}"), time.Hour, -1)
	must("live ticket", err)

	got, err := db.Prune(ctx, now, policy)
	must("prune", err)
	want := persistence.PruneCounts{RefreshTokens: 1, RefreshFamilies: 1, LoginFailures: 1, IdempotencyKeys: 1, WSTickets: 1}
	if got != want {
		t.Fatalf("pruned %+v, want %+v", got, want)
	}
	if _, err := db.RotateRefreshToken(ctx, hashOf("live"), hashOf("next"), now, now.Add(time.Hour)); err != nil {
		t.Fatalf("the live token (family %d) no longer rotates: %v", live.FamilyID, err)
	}
	for key, locked := range map[string]bool{"+60110000002": false, "+60110000003": true} {
		until, err := db.LoginLockedUntil(ctx, key, now)
		must("lock of "+key, err)
		if locked != !until.IsZero() {
			t.Errorf("%s: locked until %v, want locked %v", key, until, locked)
		}
	}
	var keys int
	must("count claims", db.Pool().QueryRow(ctx, `SELECT count(*) FROM idempotency_keys WHERE key = 'new'`).Scan(&keys))
	if keys != 1 {
		t.Errorf("live claim gone: %d rows", keys)
	}
	if again, err := db.Prune(ctx, now, policy); err != nil || again != (persistence.PruneCounts{}) {
		t.Fatalf("second prune = %+v, %v; want nothing left to remove", again, err)
	}
}
