package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

// Idempotency-Keys belong to the principal who sends them: an agent acting
// on the owner's session neither replays the owner's answers (nor learns
// which keys the owner used) nor blocks the owner's keys.
func TestIdempotencyKeysArePerActingPrincipal(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	if _, _, err := e.db.ShareSession(context.Background(), e.alice.id, e.shop.ID, e.carol.phone, juta.ShareAgent); err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("/api/sessions/%d/messages", e.shop.ID)
	with := func(token, key string) map[string]string {
		h := bearerHeader(token)
		h[headerIdempotencyKey] = key
		return h
	}
	notReplayed := func(t *testing.T, res response) {
		if res.header.Get(headerReplayed) != "" {
			t.Fatalf("answer replayed another principal's: %s", res.body)
		}
	}
	runScenarios(t, e.testEnv, []scenario{
		{name: "owner sends with a key", method: http.MethodPost, url: url, headers: with(e.alice.token, "order-7"),
			body: sendBody, status: http.StatusCreated},
		{name: "agent's same key and body is a send of its own", method: http.MethodPost, url: url,
			headers: with(e.carol.token, "order-7"), body: sendBody, status: http.StatusCreated, after: notReplayed},
		{name: "agent's same key with another body is no conflict", method: http.MethodPost, url: url,
			headers: with(e.carol.token, "order-8"), body: `{"to":"+60123456789","text":"first by the agent"}`,
			status: http.StatusCreated},
		{name: "owner's key is not blocked by the agent's claim", method: http.MethodPost, url: url,
			headers: with(e.alice.token, "order-8"), body: sendBody, status: http.StatusCreated, after: notReplayed},
		{name: "owner's own retry still replays", method: http.MethodPost, url: url,
			headers: with(e.alice.token, "order-7"), body: sendBody, status: http.StatusCreated,
			respHeaders: map[string]string{headerReplayed: "true"}},
	})
	if n := e.send.sends.Load(); n != 4 {
		t.Fatalf("SendText called %d times, want 4 (one per principal and key)", n)
	}
}
