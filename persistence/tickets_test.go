package persistence_test

import (
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A ticket is redeemed once; an expired one never; the cap counts live
// tickets only.
func TestTicketsRedeemOnceAndExpire(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	uid := mustUser(t, db).ID
	if _, err := db.IssueTicket(ctx, uid, hashOf("t1"), []byte(`{"a":1}`), time.Minute, 2); err != nil {
		t.Fatal(err)
	}
	got, payload, err := db.RedeemTicket(ctx, hashOf("t1"))
	if err != nil || got != uid || string(payload) != `{"a":1}` {
		t.Fatalf("redeem: %d %s %v", got, payload, err)
	}
	if _, _, err := db.RedeemTicket(ctx, hashOf("t1")); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("second redeem: %v, want %s", err, juta.ENOTFOUND)
	}
	// Already expired when issued (a negative TTL): never redeemed, not counted.
	for _, raw := range []string{"old1", "old2"} {
		if _, err := db.IssueTicket(ctx, uid, hashOf(raw), []byte(`{}`), -time.Second, 2); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.RedeemTicket(ctx, hashOf("old1")); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("expired redeem: %v, want %s", err, juta.ENOTFOUND)
	}
	for _, raw := range []string{"t2", "t3"} {
		if _, err := db.IssueTicket(ctx, uid, hashOf(raw), []byte(`{}`), time.Minute, 2); err != nil {
			t.Fatalf("issue %s: %v", raw, err)
		}
	}
	_, err = db.IssueTicket(ctx, uid, hashOf("t4"), []byte(`{}`), time.Minute, 2)
	if e, ok := err.(*juta.Error); !ok || e.Code != juta.ERATELIMITED || e.RetryAfter <= 0 {
		t.Fatalf("over the cap: %v, want %s with Retry-After", err, juta.ERATELIMITED)
	}
}
