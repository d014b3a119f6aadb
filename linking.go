package juta

import (
	"encoding/json"
	"time"
)

// QRNotice is the data of a session.qr event: the session shows a new
// linking code until ExpiresAt. The code itself is a linking secret (whoever
// scans it links the session to their own WhatsApp account) and a 20-second
// one: it never enters the durable event log, so it cannot reach a viewer,
// an agent, a read-only key or a webhook. Principals allowed to link fetch it
// from the session's QR route.
type QRNotice struct {
	SessionID SessionID `json:"sessionId"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Redacted returns ev as it may leave the server: a session.qr event keeps
// its notice only, whatever an older writer put in it (rows written before
// the code left the log, which a migration strips as well). Every channel
// that sends events out (REST, WebSocket, webhooks) sends Redacted events.
func (ev Event) Redacted() Event {
	if ev.Type != EventSessionQR {
		return ev
	}
	var n QRNotice
	_ = json.Unmarshal(ev.Data, &n) // a broken document keeps the zero notice
	if n.SessionID == 0 {
		n.SessionID = ev.SessionID
	}
	ev.Data, _ = json.Marshal(n) // marshalling a QRNotice cannot fail
	return ev
}
