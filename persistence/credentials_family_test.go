package persistence_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A login family is live until logout, a refresh replay, a password change
// or a disable revokes it; unknown families and other users' count as revoked.
func TestFamilyRevoked(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u, other := mustUser(t, db), mustUser(t, db)
	now := time.Now()
	exp := now.Add(time.Hour)
	revoked := func(uid juta.UserID, family int64) bool {
		t.Helper()
		r, err := db.FamilyRevoked(ctx, uid, family)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	login := func(secret string) juta.RefreshToken {
		t.Helper()
		rt, err := db.CreateRefreshToken(ctx, u.ID, hashOf(secret), exp)
		if err != nil {
			t.Fatal(err)
		}
		return rt
	}
	a, b, c, d := login("a"), login("b"), login("c"), login("d")
	if revoked(u.ID, a.FamilyID) || !revoked(other.ID, a.FamilyID) || !revoked(u.ID, 1<<40) {
		t.Fatal("a live family reads revoked, or another user's/an unknown one live")
	}

	uid, err := db.RevokeRefreshFamily(ctx, hashOf("a"))
	if err != nil || uid != u.ID || !revoked(u.ID, a.FamilyID) || revoked(u.ID, b.FamilyID) {
		t.Fatalf("logout = %d, %v; want family a revoked and b live", uid, err)
	}
	if uid, err := db.RevokeRefreshFamily(ctx, hashOf("a")); err != nil || uid != 0 {
		t.Fatalf("second logout = %d, %v; want 0", uid, err)
	}

	if _, err := db.RotateRefreshToken(ctx, hashOf("b"), hashOf("b2"), now, exp); err != nil {
		t.Fatal(err)
	}
	rt, err := db.RotateRefreshToken(ctx, hashOf("b"), hashOf("b3"), now, exp)
	wantCode(t, err, juta.EUNAUTHORIZED)
	if rt.FamilyID != b.FamilyID || rt.UserID != u.ID || rt.ID != 0 || !revoked(u.ID, b.FamilyID) {
		t.Fatalf("replay = %+v; want family b named and revoked", rt)
	}

	if err := db.ChangePassword(ctx, u.ID, "new-hash", c.FamilyID); err != nil {
		t.Fatal(err)
	}
	if revoked(u.ID, c.FamilyID) || !revoked(u.ID, d.FamilyID) {
		t.Fatal("a password change must keep the caller's family and revoke the others")
	}
	if _, err := db.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if !revoked(u.ID, c.FamilyID) {
		t.Fatal("disabling must revoke every family")
	}
}
