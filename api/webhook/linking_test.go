package webhook_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/juta-app/juta"
)

// A session.qr event that still holds a linking code (logged before codes
// left the log) reaches a webhook as its notice only.
func TestWebhooksNeverCarryLinkingCodes(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	sid := mustSession(t, db, uid)
	rcv := newReceiver(t)
	mustWebhook(t, db, uid, 0, rcv.srv.URL)
	const code = "2@leaked-linking-code"
	data := `{"sessionId":1,"code":"` + code + `","expiresAt":"2026-01-01T00:00:00Z"}`
	if _, err := db.AppendEvent(testCtx(t), uid, sid, juta.EventSessionQR, []byte(data)); err != nil {
		t.Fatal(err)
	}
	startWorker(t, db, nil)

	eventually(t, "the delivery", func() bool { return rcv.count() == 1 })
	d := rcv.deliveries()[0]
	if bytes.Contains(d.body, []byte(code)) {
		t.Fatalf("the webhook got the linking code: %s", d.body)
	}
	var n juta.QRNotice
	if err := json.Unmarshal(d.p.Data, &n); err != nil || n.SessionID != 1 || n.ExpiresAt.IsZero() || d.p.Type != juta.EventSessionQR {
		t.Fatalf("delivery %s, want the session.qr notice", d.body)
	}
}
