package persistence_test

import (
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	phone := newPhone()
	u, err := db.CreateUser(ctx, phone, "argon2id$hash", juta.RoleAdmin)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if u.ID == 0 || u.Phone != phone || u.Role != juta.RoleAdmin || u.CreatedAt.IsZero() {
		t.Fatalf("created user = %+v", u)
	}
	_, err = db.CreateUser(ctx, phone, "other", juta.RoleUser)
	wantCode(t, err, juta.ECONFLICT)

	got, hash, err := db.UserByPhone(ctx, phone)
	if err != nil || got != u || hash != "argon2id$hash" {
		t.Fatalf("by phone = %+v %q %v", got, hash, err)
	}
	if got, err := db.User(ctx, u.ID); err != nil || got != u {
		t.Fatalf("by id = %+v %v", got, err)
	}
	_, _, err = db.UserByPhone(ctx, newPhone())
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.User(ctx, u.ID+1000)
	wantCode(t, err, juta.ENOTFOUND)

	_, err = db.CreateUser(ctx, "0123", "h", juta.RoleUser)
	wantCode(t, err, juta.EINVALID)
	_, err = db.CreateUser(ctx, newPhone(), "h", "root")
	wantCode(t, err, juta.EINVALID)
}
