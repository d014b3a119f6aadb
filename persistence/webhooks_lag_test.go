package persistence_test

import (
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// The lag counts events logged after a webhook was created and not yet
// delivered, across users.
func TestWebhookLag(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	if n, err := db.WebhookLag(ctx); err != nil || n != 0 {
		t.Fatalf("lag without webhooks = %d, %v", n, err)
	}
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	if _, err := db.CreateWebhook(ctx, u.ID, juta.Webhook{URL: "https://example.com/hook", Events: []string{"*"}, Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"L1", "L2", "L3"} {
		if _, _, _, err := db.StoreMessage(ctx, msg(s, id, "hi")); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.WebhookLag(ctx); err != nil || n != 3 {
		t.Fatalf("lag = %d, %v; want 3 undelivered events", n, err)
	}
}
