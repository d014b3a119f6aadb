package main

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A node prunes at start: a refresh token that expired two days ago is gone
// soon after jutad comes up, and a live one stays.
func TestNodePrunesAtStart(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.MustURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := persistence.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, "+60112223344", "hash", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	for name, exp := range map[string]time.Time{"old": time.Now().Add(-48 * time.Hour), "live": time.Now().Add(time.Hour)} {
		h := sha256.Sum256([]byte(name))
		if _, err := db.CreateRefreshToken(ctx, u.ID, h[:], exp); err != nil {
			t.Fatal(err)
		}
	}
	startServer(t, dbURL, startSim(t).addr)
	count := func() (n int) {
		if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM refresh_tokens`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(15 * time.Second)
	for count() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d refresh tokens 15 s after start, want the live one only", count())
		}
		time.Sleep(50 * time.Millisecond) // poll interval
	}
}
