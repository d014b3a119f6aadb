package persistence_test

import (
	"bytes"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestIdempotencyKeyLifecycle(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	alice, bob := mustUser(t, db), mustUser(t, db)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	exp := now.Add(24 * time.Hour)
	h1, h2 := sha256.Sum256([]byte("one")), sha256.Sum256([]byte("two"))

	res, claimed, err := db.ClaimIdempotencyKey(ctx, alice.ID, "k1", h1[:], now, exp)
	if err != nil || !claimed || res.Done {
		t.Fatalf("first claim = %+v, %v, %v; want a fresh claim", res, claimed, err)
	}
	res, claimed, err = db.ClaimIdempotencyKey(ctx, alice.ID, "k1", h2[:], now, exp)
	if err != nil || claimed || res.Done || !bytes.Equal(res.RequestHash, h1[:]) {
		t.Fatalf("second claim = %+v, %v, %v; want the first, in flight", res, claimed, err)
	}
	// Keys are per user.
	if _, claimed, err := db.ClaimIdempotencyKey(ctx, bob.ID, "k1", h2[:], now, exp); err != nil || !claimed {
		t.Fatalf("bob's claim of the same key: %v, %v", claimed, err)
	}

	if err := db.CompleteIdempotencyKey(ctx, alice.ID, "k1", 201, []byte(`{"id":1}`)); err != nil {
		t.Fatalf("complete: %v", err)
	}
	wantCode(t, db.CompleteIdempotencyKey(ctx, alice.ID, "k1", 500, nil), juta.ENOTFOUND)
	// A completed claim survives a release.
	if err := db.ReleaseIdempotencyKey(ctx, alice.ID, "k1"); err != nil {
		t.Fatalf("release: %v", err)
	}
	res, claimed, err = db.ClaimIdempotencyKey(ctx, alice.ID, "k1", h1[:], now.Add(time.Hour), exp)
	if err != nil || claimed || !res.Done || res.Status != 201 || string(res.Body) != `{"id":1}` {
		t.Fatalf("claim after completion = %+v, %v, %v; want the stored response", res, claimed, err)
	}
	got, err := db.IdempotencyKey(ctx, alice.ID, "k1", now)
	if err != nil || !got.Done || !got.ExpiresAt.Equal(exp) {
		t.Fatalf("lookup = %+v, %v", got, err)
	}

	// Expired claims are gone and the key can be claimed anew.
	_, err = db.IdempotencyKey(ctx, alice.ID, "k1", exp)
	wantCode(t, err, juta.ENOTFOUND)
	if res, claimed, err := db.ClaimIdempotencyKey(ctx, alice.ID, "k1", h2[:], exp, exp.Add(time.Hour)); err != nil || !claimed || res.Done {
		t.Fatalf("claim after expiry = %+v, %v, %v", res, claimed, err)
	}

	// A released unfinished claim frees the key.
	if _, claimed, _ := db.ClaimIdempotencyKey(ctx, alice.ID, "k2", h1[:], now, exp); !claimed {
		t.Fatal("claim k2")
	}
	if err := db.ReleaseIdempotencyKey(ctx, alice.ID, "k2"); err != nil {
		t.Fatalf("release k2: %v", err)
	}
	_, err = db.IdempotencyKey(ctx, alice.ID, "k2", now)
	wantCode(t, err, juta.ENOTFOUND)
}

func TestIdempotencyKeyConcurrentClaims(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	now := time.Now()
	h := sha256.Sum256([]byte("same"))
	const n = 8
	var wg sync.WaitGroup
	wins := make(chan bool, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, claimed, err := db.ClaimIdempotencyKey(ctx, u.ID, "race", h[:], now, now.Add(time.Hour))
			if err != nil {
				t.Errorf("claim: %v", err)
			}
			wins <- claimed
		}()
	}
	wg.Wait()
	close(wins)
	won := 0
	for w := range wins {
		if w {
			won++
		}
	}
	if won != 1 {
		t.Fatalf("%d claims won, want exactly 1", won)
	}
}
