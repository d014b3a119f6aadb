package persistence_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestAdminListsAndDisable(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	alice, bob := mustUser(t, db), mustUser(t, db)
	s1 := mustSession(t, db, alice.ID)
	mustSession(t, db, bob.ID)
	in := msg(s1, "w1", "hi")
	out := msg(s1, "w2", "hello")
	out.FromMe = true
	for _, m := range []juta.Message{in, out, msg(s1, "w3", "again")} {
		if _, _, _, err := db.StoreMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}

	page, err := db.AdminSessions(ctx, "", 1)
	if err != nil || len(page.Items) != 1 || page.NextCursor == "" {
		t.Fatalf("first page = %+v, %v", page, err)
	}
	a := page.Items[0]
	if a.ID != s1.ID || a.OwnerPhone != alice.Phone || a.MessagesIn != 2 || a.MessagesOut != 1 || a.LastActivityAt == nil {
		t.Fatalf("admin session = %+v", a)
	}
	page, err = db.AdminSessions(ctx, page.NextCursor, 1)
	if err != nil || len(page.Items) != 1 || page.NextCursor != "" || page.Items[0].OwnerPhone != bob.Phone {
		t.Fatalf("second page = %+v, %v", page, err)
	}
	_, err = db.AdminSessions(ctx, "!!", 1)
	wantCode(t, err, juta.EINVALID)

	users, err := db.AdminUsers(ctx, "", 10)
	if err != nil || len(users.Items) != 2 || users.Items[0].Sessions != 1 || users.NextCursor != "" {
		t.Fatalf("users = %+v, %v", users, err)
	}

	exp := time.Now().Add(time.Hour)
	if _, err := db.CreateRefreshToken(ctx, alice.ID, hashOf("alice-r"), exp); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAPIKey(ctx, juta.APIKey{UserID: alice.ID, Prefix: "p", Scopes: []string{"read"}}, hashOf("alice-k")); err != nil {
		t.Fatal(err)
	}
	u, err := db.SetUserDisabled(ctx, alice.ID, true)
	if err != nil || !u.Disabled || u.DisabledAt == nil {
		t.Fatalf("disable = %+v, %v", u, err)
	}
	_, err = db.RotateRefreshToken(ctx, hashOf("alice-r"), hashOf("alice-r2"), time.Now(), exp)
	wantCode(t, err, juta.EUNAUTHORIZED)
	if _, acct, err := db.APIKeyByHash(ctx, hashOf("alice-k")); err != nil || !acct.Disabled {
		t.Fatalf("key owner = %+v, %v", acct, err)
	}
	if acct, err := db.Account(ctx, alice.ID); err != nil || !acct.Disabled {
		t.Fatalf("account = %+v, %v", acct, err)
	}
	u, err = db.SetUserDisabled(ctx, alice.ID, false)
	if err != nil || u.Disabled {
		t.Fatalf("enable = %+v, %v", u, err)
	}
	_, err = db.SetUserDisabled(ctx, alice.ID+1000, true)
	wantCode(t, err, juta.ENOTFOUND)
}
