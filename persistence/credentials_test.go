package persistence_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func TestRefreshRotationAndReuse(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	now := time.Now()
	exp := now.Add(time.Hour)

	first, err := db.CreateRefreshToken(ctx, u.ID, hashOf("a"), exp)
	if err != nil || first.FamilyID == 0 || first.UserID != u.ID {
		t.Fatalf("create = %+v, %v", first, err)
	}
	second, err := db.RotateRefreshToken(ctx, hashOf("a"), hashOf("b"), now, exp)
	if err != nil || second.FamilyID != first.FamilyID || second.ID == first.ID {
		t.Fatalf("rotate = %+v, %v", second, err)
	}
	// Replaying the rotated token revokes the family: "b" stops working too.
	_, err = db.RotateRefreshToken(ctx, hashOf("a"), hashOf("c"), now, exp)
	wantCode(t, err, juta.EUNAUTHORIZED)
	_, err = db.RotateRefreshToken(ctx, hashOf("b"), hashOf("d"), now, exp)
	wantCode(t, err, juta.EUNAUTHORIZED)

	// Another family is untouched by that, but expires.
	if _, err := db.CreateRefreshToken(ctx, u.ID, hashOf("x"), exp); err != nil {
		t.Fatal(err)
	}
	_, err = db.RotateRefreshToken(ctx, hashOf("x"), hashOf("y"), exp, exp.Add(time.Hour))
	wantCode(t, err, juta.EUNAUTHORIZED)
	if _, err := db.RotateRefreshToken(ctx, hashOf("x"), hashOf("y"), now, exp); err != nil {
		t.Fatalf("rotate live family: %v", err)
	}
	_, err = db.RotateRefreshToken(ctx, hashOf("unknown"), hashOf("z"), now, exp)
	wantCode(t, err, juta.EUNAUTHORIZED)

	// Logout revokes the family of the token presented.
	if _, err := db.RevokeRefreshFamily(ctx, hashOf("y")); err != nil {
		t.Fatal(err)
	}
	_, err = db.RotateRefreshToken(ctx, hashOf("y"), hashOf("z"), now, exp)
	wantCode(t, err, juta.EUNAUTHORIZED)
	if _, err := db.RevokeRefreshFamily(ctx, hashOf("never issued")); err != nil {
		t.Fatalf("revoke unknown: %v", err)
	}
	_, err = db.CreateRefreshToken(ctx, u.ID+1000, hashOf("q"), exp)
	wantCode(t, err, juta.ENOTFOUND)
}

func TestChangePasswordKeepsOneFamily(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	now := time.Now()
	exp := now.Add(time.Hour)
	keep, err := db.CreateRefreshToken(ctx, u.ID, hashOf("keep"), exp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateRefreshToken(ctx, u.ID, hashOf("other"), exp); err != nil {
		t.Fatal(err)
	}
	if err := db.ChangePassword(ctx, u.ID, "new-hash", keep.FamilyID); err != nil {
		t.Fatal(err)
	}
	if _, hash, err := db.UserByPhone(ctx, u.Phone); err != nil || hash != "new-hash" {
		t.Fatalf("hash = %q, %v", hash, err)
	}
	if _, err := db.RotateRefreshToken(ctx, hashOf("keep"), hashOf("keep2"), now, exp); err != nil {
		t.Fatalf("kept family: %v", err)
	}
	_, err = db.RotateRefreshToken(ctx, hashOf("other"), hashOf("other2"), now, exp)
	wantCode(t, err, juta.EUNAUTHORIZED)
	wantCode(t, db.ChangePassword(ctx, u.ID+1000, "h", 0), juta.ENOTFOUND)
}

func TestLoginLockoutBacksOff(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	p := juta.LockoutPolicy{Threshold: 3, Base: time.Minute, Max: 3 * time.Minute, Forget: 24 * time.Hour}
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	fail := func(at time.Time) time.Time {
		t.Helper()
		until, err := db.RecordLoginFailure(ctx, "+60111", at, p)
		if err != nil {
			t.Fatal(err)
		}
		return until
	}
	for i := 0; i < 2; i++ {
		if until := fail(now); !until.IsZero() {
			t.Fatalf("failure %d locked until %v", i+1, until)
		}
	}
	locks := []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 3 * time.Minute}
	for i, want := range locks {
		if i > 0 {
			fail(now)
			fail(now)
		}
		until := fail(now)
		if !until.Equal(now.Add(want)) {
			t.Fatalf("lock %d ends %v, want %v later", i+1, until, want)
		}
		got, err := db.LoginLockedUntil(ctx, "+60111", now)
		if err != nil || !got.Equal(until) {
			t.Fatalf("locked until = %v, %v; want %v", got, err, until)
		}
		now = until
		if got, _ := db.LoginLockedUntil(ctx, "+60111", now); !got.IsZero() {
			t.Fatalf("still locked at its end: %v", got)
		}
	}
	// A long quiet spell forgets the history: the next lock is the base again.
	now = now.Add(25 * time.Hour)
	fail(now)
	fail(now)
	if until := fail(now); !until.Equal(now.Add(time.Minute)) {
		t.Fatalf("after a quiet day lock ends %v", until)
	}
	if err := db.ClearLoginFailures(ctx, "+60111"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.LoginLockedUntil(ctx, "+60111", now); !got.IsZero() {
		t.Fatalf("locked after clear: %v", got)
	}
	if got, _ := db.LoginLockedUntil(ctx, "+60222", now); !got.IsZero() {
		t.Fatalf("unknown key locked: %v", got)
	}
}
