package persistence_test

import (
	"slices"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	alice, bob := mustUser(t, db), mustUser(t, db)
	sess := mustSession(t, db, alice.ID)
	bobSess := mustSession(t, db, bob.ID)

	k, err := db.CreateAPIKey(ctx, juta.APIKey{UserID: alice.ID, Name: "ci", Prefix: "juta_abc",
		Scopes: []string{juta.ScopeRead}, SessionID: sess.ID}, hashOf("key1"))
	if err != nil || k.ID == 0 || k.SessionID != sess.ID || !slices.Equal(k.Scopes, []string{"read"}) {
		t.Fatalf("create = %+v, %v", k, err)
	}
	_, err = db.CreateAPIKey(ctx, juta.APIKey{UserID: alice.ID, Prefix: "p", Scopes: []string{"read"},
		SessionID: bobSess.ID}, hashOf("key2"))
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.CreateAPIKey(ctx, juta.APIKey{UserID: alice.ID, Prefix: "p", Scopes: []string{"root"}}, hashOf("key3"))
	wantCode(t, err, juta.EINVALID)

	got, acct, err := db.APIKeyByHash(ctx, hashOf("key1"))
	if err != nil || got.ID != k.ID || acct.ID != alice.ID || acct.Disabled {
		t.Fatalf("by hash = %+v %+v %v", got, acct, err)
	}
	at := time.Now().Truncate(time.Millisecond)
	if err := db.TouchAPIKeys(ctx, []int64{k.ID}, at); err != nil {
		t.Fatal(err)
	}
	list, err := db.APIKeys(ctx, alice.ID)
	if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(at) {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if list, _ := db.APIKeys(ctx, bob.ID); len(list) != 0 {
		t.Fatalf("bob sees %+v", list)
	}
	wantCode(t, db.RevokeAPIKey(ctx, bob.ID, k.ID), juta.ENOTFOUND)
	if err := db.RevokeAPIKey(ctx, alice.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RevokeAPIKey(ctx, alice.ID, k.ID), juta.ENOTFOUND)
	_, _, err = db.APIKeyByHash(ctx, hashOf("key1"))
	wantCode(t, err, juta.ENOTFOUND)
}

func TestSigningKeys(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	now := time.Now().Truncate(time.Millisecond)
	secret := func(b byte) []byte { return slices.Repeat([]byte{b}, 32) }

	keys, err := db.EnsureSigningKey(ctx, juta.SigningKey{KID: "k1", Secret: secret(1)}, now)
	if err != nil || len(keys) != 1 || keys[0].KID != "k1" {
		t.Fatalf("ensure = %+v, %v", keys, err)
	}
	// A second node starting later keeps the first key.
	keys, err = db.EnsureSigningKey(ctx, juta.SigningKey{KID: "k2", Secret: secret(2)}, now)
	if err != nil || len(keys) != 1 || keys[0].KID != "k1" {
		t.Fatalf("second ensure = %+v, %v", keys, err)
	}
	later := now.Add(time.Minute)
	if err := db.AddSigningKey(ctx, juta.SigningKey{KID: "k3", Secret: secret(3)}, later, time.Hour); err != nil {
		t.Fatal(err)
	}
	keys, err = db.SigningKeys(ctx, later)
	if err != nil || len(keys) != 2 || keys[0].KID != "k3" || keys[1].KID != "k1" || keys[1].RetiresAt == nil {
		t.Fatalf("after rotation = %+v, %v", keys, err)
	}
	keys, _ = db.SigningKeys(ctx, later.Add(2*time.Hour))
	if len(keys) != 1 || keys[0].KID != "k3" {
		t.Fatalf("after the grace = %+v", keys)
	}
	err = db.AddSigningKey(ctx, juta.SigningKey{KID: "short", Secret: []byte("x")}, later, time.Hour)
	wantCode(t, err, juta.EINVALID)
}
