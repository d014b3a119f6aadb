package juta_test

import (
	"encoding/json"
	"testing"

	"github.com/juta-app/juta"
)

// FuzzRedacted: whatever a session.qr event holds, its redacted form is a
// notice with a session id and an expiry and nothing else; other events pass
// unchanged.
func FuzzRedacted(f *testing.F) {
	for _, s := range []string{`{"sessionId":1,"code":"2@x","expiresAt":"2026-01-01T00:00:00Z"}`, `{"code":"2@x"}`, `null`, `{`, `[]`, `{"sessionId":"1"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		ev := juta.Event{Type: juta.EventSessionQR, SessionID: 7, Data: []byte(data)}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(ev.Redacted().Data, &doc); err != nil {
			t.Fatalf("redacted %q is not a JSON object: %v", data, err)
		}
		for k := range doc {
			if k != "sessionId" && k != "expiresAt" {
				t.Fatalf("redacted %q keeps %q", data, k)
			}
		}
		other := juta.Event{Type: juta.EventMessage, Data: []byte(data)}
		if string(other.Redacted().Data) != data {
			t.Fatalf("a message event changed")
		}
	})
}
