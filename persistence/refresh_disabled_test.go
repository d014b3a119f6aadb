package persistence_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A disabled account's refresh token is refused by the rotation itself, not
// only because disabling revokes the families: a family that escaped the
// revocation (a token issued while the account was being disabled) must
// not mint tokens either.
func TestRefreshRefusedForDisabledUser(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	now := time.Now()
	if _, err := db.CreateRefreshToken(ctx, u.ID, hashOf("live"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Disabled behind the store's back: the family stays live.
	if _, err := db.Pool().Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err := db.RotateRefreshToken(ctx, hashOf("live"), hashOf("next"), now, now.Add(time.Hour))
	wantCode(t, err, juta.EUNAUTHORIZED)
	// Enabled again, the same token works: the refusal was the account's.
	if _, err := db.Pool().Exec(ctx, `UPDATE users SET disabled_at = NULL WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RotateRefreshToken(ctx, hashOf("live"), hashOf("next"), now, now.Add(time.Hour)); err != nil {
		t.Fatalf("rotation after enabling again: %v", err)
	}
}
