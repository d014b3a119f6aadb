package persistence_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A login is listed while it can refresh; revoking one or all others ends
// them, and another user's login cannot be revoked.
func TestLoginsListAndRevoke(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u, bob := mustUser(t, db), mustUser(t, db)
	var ids []int64
	for i := range 3 {
		rt, err := db.CreateRefreshToken(ctx, u.ID, hashOf(fmt.Sprintf("login-%d-%d", u.ID, i)), time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rt.FamilyID)
	}
	// An expired login is not listed.
	if _, err := db.CreateRefreshToken(ctx, u.ID, hashOf(fmt.Sprint("old-", u.ID)), time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	// A rotation keeps the login and moves its last use.
	if _, err := db.RotateRefreshToken(ctx, hashOf(fmt.Sprintf("login-%d-0", u.ID)), hashOf(fmt.Sprint("next-", u.ID)),
		time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.NoteLoginClient(ctx, u.ID, ids[2], "Firefox on Linux", "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.NoteLoginClient(ctx, bob.ID, ids[2], "x", "x"), juta.ENOTFOUND)
	list, err := db.Logins(ctx, u.ID)
	if err != nil || len(list) != 3 {
		t.Fatalf("logins = %+v, %v; want 3", list, err)
	}
	if list[0].ID != ids[0] || list[0].LastUsedAt.Before(list[0].CreatedAt) {
		t.Fatalf("the refreshed login is not first: %+v", list)
	}
	for _, l := range list {
		if (l.ID == ids[2]) != (l.Client == "Firefox on Linux" && l.IP == "192.0.2.7") {
			t.Fatalf("login clients: %+v", list)
		}
	}
	wantCode(t, db.RevokeLogin(ctx, bob.ID, ids[1]), juta.ENOTFOUND)
	if err := db.RevokeLogin(ctx, u.ID, ids[1]); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RevokeLogin(ctx, u.ID, ids[1]), juta.ENOTFOUND)
	if revoked, err := db.FamilyRevoked(ctx, u.ID, ids[1]); err != nil || !revoked {
		t.Fatalf("revoked login still live: %v, %v", revoked, err)
	}
	n, err := db.RevokeOtherLogins(ctx, u.ID, ids[0])
	if err != nil || n != 2 { // ids[2] and the expired one
		t.Fatalf("revoke others = %d, %v; want 2", n, err)
	}
	list, err = db.Logins(ctx, u.ID)
	if err != nil || len(list) != 1 || list[0].ID != ids[0] {
		t.Fatalf("after revoking others: %+v, %v", list, err)
	}
}
