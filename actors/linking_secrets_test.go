package actors

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	juta "github.com/juta-app/juta"
)

// Linking codes (QR and phone pairing) never enter the durable event log: a
// session.qr event says that a code is ready and until when, and the code
// itself is served only by the QR request.
func TestLinkingCodesStayOutOfTheEventLog(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s, err := h.rt.CreateSession(ctxT(), uid, "secret")
	if err != nil {
		t.Fatal(err)
	}
	var qr juta.QRCode
	eventually(t, "a QR code", func() bool {
		qr, err = h.rt.QR(ctxT(), uid, s.ID)
		return err == nil
	})
	var notice juta.Event
	eventually(t, "a session.qr event", func() bool {
		evs, _ := h.db.EventsAfter(context.Background(), uid, 0, 1000)
		for _, ev := range evs {
			if ev.Type == juta.EventSessionQR {
				notice = ev
				return true
			}
		}
		return false
	})
	var n juta.QRNotice
	if err := json.Unmarshal(notice.Data, &n); err != nil || n.SessionID != s.ID || n.ExpiresAt.IsZero() {
		t.Fatalf("session.qr data = %s (%v), want the session and the expiry", notice.Data, err)
	}
	code, err := h.rt.PairPhone(ctxT(), uid, s.ID, phone)
	if err != nil {
		t.Fatalf("pairing code: %v", err)
	}
	h.waitState(uid, s.ID, juta.StatePairing)
	evs, err := h.db.EventsAfter(context.Background(), uid, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if bytes.Contains(ev.Data, []byte(qr.Code)) || bytes.Contains(ev.Data, []byte(code)) {
			t.Fatalf("event %d (%s) holds a linking code: %s", ev.Cursor, ev.Type, ev.Data)
		}
	}
}
