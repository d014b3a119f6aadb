package webhook_test

import (
	"net/http"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/webhook"
)

// A 4xx is a failed attempt like any other: the cursor stays on the event,
// it is retried, and after MaxAttempts it goes to the dead letters. Only 2xx
// moves the cursor.
func TestClientErrorsDoNotAdvanceTheCursor(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	codes := []int{http.StatusBadRequest, http.StatusNotFound, http.StatusGone}
	rcvs := make([]*receiver, len(codes))
	hooks := make([]juta.Webhook, len(codes))
	for i, code := range codes {
		rcvs[i] = newReceiver(t)
		rcvs[i].setRespond(func(delivery) int { return code })
		hooks[i] = mustWebhook(t, db, uid, 0, rcvs[i].srv.URL)
	}
	evs := mustAppend(t, db, uid, 0, "account.test", 2)
	const attempts = 2
	startWorker(t, db, func(c *webhook.Config) { c.MaxAttempts = attempts })

	for i, code := range codes {
		wh := hooks[i]
		var dead juta.Page[juta.WebhookDelivery]
		eventually(t, "two dead letters", func() bool {
			var err error
			dead, err = db.WebhookDeliveries(testCtx(t), uid, wh.ID, juta.DeliveryDead, "", 10)
			return err == nil && len(dead.Items) == len(evs)
		})
		for _, d := range dead.Items {
			if d.Attempts != attempts || d.LastStatus != code {
				t.Errorf("HTTP %d: dead letter %+v, want %d attempts with status %d", code, d, attempts, code)
			}
		}
		if n := rcvs[i].count(); n != attempts*len(evs) {
			t.Errorf("HTTP %d: receiver got %d attempts, want %d per event", code, n, attempts)
		}
		delivered, err := db.WebhookDeliveries(testCtx(t), uid, wh.ID, juta.DeliveryDelivered, "", 10)
		if err != nil || len(delivered.Items) != 0 {
			t.Errorf("HTTP %d: deliveries marked delivered: %+v, %v", code, delivered.Items, err)
		}
	}
}
