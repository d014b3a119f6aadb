package persistence_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

func mustWebhook(t *testing.T, db *persistence.DB, uid juta.UserID, sid juta.SessionID) juta.Webhook {
	t.Helper()
	w, err := db.CreateWebhook(testCtx(t), uid, juta.Webhook{
		URL: "https://hooks.example.com/", Events: []string{"*"}, SessionID: sid, Secret: "whsec_test",
	})
	if err != nil {
		t.Fatalf("create webhook: %v", err)
	}
	return w
}

func TestWebhooksBelongToTheirUser(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	alice, bob := mustUser(t, db), mustUser(t, db)
	bobSession := mustSession(t, db, bob.ID)
	if _, err := db.AppendEvent(ctx, alice.ID, 0, "account.test", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	w := mustWebhook(t, db, alice.ID, 0)
	if w.Secret != "whsec_test" || w.Cursor != 1 {
		t.Fatalf("created %+v: want the secret once and the cursor at the latest event", w)
	}
	got, err := db.Webhook(ctx, alice.ID, w.ID)
	if err != nil || got.Secret != "" || got.URL != w.URL {
		t.Fatalf("webhook %+v, %v: want it without its secret", got, err)
	}
	_, err = db.CreateWebhook(ctx, alice.ID, juta.Webhook{URL: "https://x.example/", Events: []string{"*"},
		SessionID: bobSession.ID, Secret: "s"})
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.Webhook(ctx, bob.ID, w.ID)
	wantCode(t, err, juta.ENOTFOUND)
	wantCode(t, db.DeleteWebhook(ctx, bob.ID, w.ID), juta.ENOTFOUND)
	_, err = db.WebhookDeliveries(ctx, bob.ID, w.ID, "", "", 10)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.WebhookDeliveries(ctx, alice.ID, w.ID, "", "!!", 10)
	wantCode(t, err, juta.EINVALID)
	list, err := db.Webhooks(ctx, bob.ID)
	if err != nil || len(list) != 0 {
		t.Fatalf("bob's webhooks: %v, %v", list, err)
	}
	if err := db.DeleteWebhook(ctx, alice.ID, w.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = db.Webhook(ctx, alice.ID, w.ID)
	wantCode(t, err, juta.ENOTFOUND)
}

func TestWebhookLimitPerUser(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	u := mustUser(t, db)
	for range persistence.MaxWebhooksPerUser {
		mustWebhook(t, db, u.ID, 0)
	}
	_, err := db.CreateWebhook(testCtx(t), u.ID, juta.Webhook{URL: "https://x.example/", Events: []string{"*"}, Secret: "s"})
	wantCode(t, err, juta.EQUOTA)
}

// A claim is exclusive while its lease runs, and a worker whose lease was
// taken over can no longer move the cursor.
func TestWebhookClaimsAreFenced(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	w := mustWebhook(t, db, u.ID, 0)
	ev, err := db.AppendEvent(ctx, u.ID, 0, "account.test", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	// The lease must outlive the "claimed twice" check below even on a loaded
	// machine, and run out soon after.
	first, err := db.ClaimWebhooks(ctx, 3*time.Second, 10)
	if err != nil || len(first) != 1 || first[0].Webhook.ID != w.ID || first[0].Webhook.Secret != "whsec_test" || !first[0].StreamDue {
		t.Fatalf("claim: %+v, %v", first, err)
	}
	if again, err := db.ClaimWebhooks(ctx, time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("claimed twice: %+v, %v", again, err)
	}
	var second []juta.WebhookClaim
	eventually(t, "the lease to run out and the webhook to be claimed again", func() bool {
		second, err = db.ClaimWebhooks(ctx, time.Minute, 10)
		return err == nil && len(second) == 1
	})
	wantCode(t, db.AdvanceWebhook(ctx, &first[0], ev.Cursor), juta.ESTATE)
	if _, err := db.StartDelivery(ctx, &first[0], ev.Cursor); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("stale start delivery: %v", err)
	}
	if err := db.AdvanceWebhook(ctx, &second[0], ev.Cursor); err != nil {
		t.Fatalf("advance with the current claim: %v", err)
	}
	if err := db.ReleaseWebhook(ctx, second[0]); err != nil {
		t.Fatal(err)
	}
	if rest, err := db.ClaimWebhooks(ctx, time.Minute, 10); err != nil || len(rest) != 0 {
		t.Fatalf("a webhook with nothing pending was claimed: %+v, %v", rest, err)
	}
}
