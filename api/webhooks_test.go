package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// newWebhookEnv is the test server with the webhook routes wired to the
// database, refusing private URLs as production does.
func newWebhookEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	deps := e.srv.deps
	deps.Webhooks = WebhookDeps{Store: e.db}
	e.srv = New(e.srv.cfg, deps)
	return e
}

func mustCreateWebhook(t *testing.T, e *testEnv, headers map[string]string, body string) juta.Webhook {
	t.Helper()
	res := e.do(t, http.MethodPost, "/api/webhooks", headers, body)
	if res.status != http.StatusCreated {
		t.Fatalf("create webhook: status %d: %s", res.status, res.body)
	}
	var w juta.Webhook
	if err := json.Unmarshal(res.body, &w); err != nil {
		t.Fatalf("create webhook: %v", err)
	}
	return w
}

func mustAPIKey(t *testing.T, e *testEnv, token, body string) map[string]string {
	t.Helper()
	res := e.do(t, http.MethodPost, "/api/keys", bearerHeader(token), body)
	if res.status != http.StatusCreated {
		t.Fatalf("create key: status %d: %s", res.status, res.body)
	}
	var k struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(res.body, &k); err != nil || k.Key == "" {
		t.Fatalf("create key: %v: %s", err, res.body)
	}
	return map[string]string{auth.HeaderAPIKey: k.Key}
}

func TestWebhookRoutes(t *testing.T) {
	t.Parallel()
	e := newWebhookEnv(t)
	ctx := context.Background()
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	bobSession, err := e.db.CreateSession(ctx, e.bob.id, "bob")
	if err != nil {
		t.Fatal(err)
	}
	w := mustCreateWebhook(t, e, alice, `{"url":"https://hooks.example.com/in?token=t0k","events":["message","session.*","message"]}`)
	if !strings.HasPrefix(w.Secret, "whsec_") || w.ID == 0 || strings.Join(w.Events, ",") != "message,session.*" {
		t.Fatalf("created webhook %+v", w)
	}
	// A dead letter to list and redeliver, as the worker would leave it.
	var deadID int64 = 9_000_001
	_, err = e.db.Pool().Exec(ctx, `INSERT INTO webhook_deliveries
		(id, user_id, webhook_id, cursor, event_type, status, attempts, last_status, last_error)
		VALUES ($1, $2, $3, 1, 'message', 'dead', 8, 500, 'HTTP 500')`, deadID, e.alice.id, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	hook := fmt.Sprintf("/api/webhooks/%d", w.ID)
	redeliver := fmt.Sprintf("%s/deliveries/%d/redeliver", hook, deadID)

	runScenarios(t, e, []scenario{
		{name: "all events by default", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body: `{"url":"https://a.example.com/"}`, status: http.StatusCreated, contains: []string{`"events":["*"]`, `"secret":"whsec_`}},
		{name: "loopback url", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body: `{"url":"http://127.0.0.1:8080/"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "metadata url", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body: `{"url":"http://169.254.169.254/latest/meta-data/"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "credentials in url", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body: `{"url":"https://u:p@example.com/"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "not http", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body: `{"url":"file:///etc/passwd"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "bad event type", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body: `{"url":"https://a.example.com/","events":["Message!"]}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "unknown field", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body: `{"url":"https://a.example.com/","secret":"mine"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "another user's session", method: http.MethodPost, url: "/api/webhooks", headers: alice,
			body:   fmt.Sprintf(`{"url":"https://a.example.com/","sessionId":%d}`, bobSession.ID),
			status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "no token", method: http.MethodGet, url: "/api/webhooks", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},

		{name: "list without secrets", method: http.MethodGet, url: "/api/webhooks", headers: alice,
			status: http.StatusOK, contains: []string{`"items":[`, `hooks.example.com`}, absent: []string{"secret", w.Secret}},
		{name: "get without secret", method: http.MethodGet, url: hook, headers: alice,
			status: http.StatusOK, contains: []string{`"url":"https://hooks.example.com/in?token=t0k"`}, absent: []string{"secret"}},
		{name: "bob lists none", method: http.MethodGet, url: "/api/webhooks", headers: bob,
			status: http.StatusOK, contains: []string{`{"items":[]}`}},
		{name: "bob cannot get", method: http.MethodGet, url: hook, headers: bob, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "malformed id", method: http.MethodGet, url: "/api/webhooks/abc", headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},

		{name: "dead letters", method: http.MethodGet, url: hook + "/deliveries?status=dead", headers: alice,
			status: http.StatusOK, contains: []string{fmt.Sprintf(`"id":%d`, deadID), `"status":"dead"`, `"lastError":"HTTP 500"`}},
		{name: "bad status", method: http.MethodGet, url: hook + "/deliveries?status=lost", headers: alice,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "bad page cursor", method: http.MethodGet, url: hook + "/deliveries?cursor=%21%21", headers: alice,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "bob cannot list deliveries", method: http.MethodGet, url: hook + "/deliveries", headers: bob,
			status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "bob cannot redeliver", method: http.MethodPost, url: redeliver, headers: bob,
			status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "unknown delivery", method: http.MethodPost, url: hook + "/deliveries/77/redeliver", headers: alice,
			status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "redeliver", method: http.MethodPost, url: redeliver, headers: alice,
			status: http.StatusAccepted, contains: []string{`"status":"queued"`}},
		{name: "queued", method: http.MethodGet, url: hook + "/deliveries?status=queued", headers: alice,
			status: http.StatusOK, contains: []string{fmt.Sprintf(`"id":%d`, deadID)}},

		{name: "bob cannot delete", method: http.MethodDelete, url: hook, headers: bob, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "delete", method: http.MethodDelete, url: hook, headers: alice, status: http.StatusNoContent},
		{name: "gone", method: http.MethodGet, url: hook, headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "deliveries gone", method: http.MethodGet, url: hook + "/deliveries", headers: alice,
			status: http.StatusNotFound, code: juta.ENOTFOUND},
	})
}

func TestWebhookRoutesWithAPIKeys(t *testing.T) {
	t.Parallel()
	e := newWebhookEnv(t)
	ctx := context.Background()
	s1, err := e.db.CreateSession(ctx, e.alice.id, "one")
	if err != nil {
		t.Fatal(err)
	}
	s2, err := e.db.CreateSession(ctx, e.alice.id, "two")
	if err != nil {
		t.Fatal(err)
	}
	alice := bearerHeader(e.alice.token)
	other := mustCreateWebhook(t, e, alice, fmt.Sprintf(`{"url":"https://b.example.com/","sessionId":%d}`, s2.ID))
	reader := mustAPIKey(t, e, e.alice.token, `{"name":"reader","scopes":["read"]}`)
	bound := mustAPIKey(t, e, e.alice.token, fmt.Sprintf(`{"name":"bound","scopes":["read","manage"],"sessionId":%d}`, s1.ID))

	runScenarios(t, e, []scenario{
		{name: "read key cannot create", method: http.MethodPost, url: "/api/webhooks", headers: reader,
			body: `{"url":"https://a.example.com/"}`, status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "read key lists", method: http.MethodGet, url: "/api/webhooks", headers: reader,
			status: http.StatusOK, contains: []string{"b.example.com"}},
		{name: "read key cannot delete", method: http.MethodDelete, url: fmt.Sprintf("/api/webhooks/%d", other.ID),
			headers: reader, status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "bound key creates on its session", method: http.MethodPost, url: "/api/webhooks", headers: bound,
			body: `{"url":"https://a.example.com/"}`, status: http.StatusCreated,
			contains: []string{fmt.Sprintf(`"sessionId":%d`, s1.ID)}},
		{name: "bound key cannot use another session", method: http.MethodPost, url: "/api/webhooks", headers: bound,
			body: fmt.Sprintf(`{"url":"https://a.example.com/","sessionId":%d}`, s2.ID), status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "bound key sees its session only", method: http.MethodGet, url: "/api/webhooks", headers: bound,
			status: http.StatusOK, contains: []string{"a.example.com"}, absent: []string{"b.example.com"}},
		{name: "bound key cannot get another session's", method: http.MethodGet, url: fmt.Sprintf("/api/webhooks/%d", other.ID),
			headers: bound, status: http.StatusNotFound, code: juta.ENOTFOUND},
	})
}

func TestWebhookRoutesUnconfigured(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	res := e.do(t, http.MethodGet, "/api/webhooks", bearerHeader(e.alice.token), "")
	checkProblem(t, res, http.StatusServiceUnavailable, juta.EUNAVAILABLE)
}
