package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

func TestServerScenarios(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.srv.Mount("/sim", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("sim saw " + r.Method + " " + r.URL.Path))
	}))
	runScenarios(t, e, []scenario{
		{name: "unknown route", method: http.MethodGet, url: "/nope", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "unknown api route", method: http.MethodGet, url: "/api/nope", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{
			name: "wrong method", method: http.MethodDelete, url: "/api/status", status: http.StatusMethodNotAllowed,
			code: codeMethodNotAllowed, headers: bearerHeader(e.alice.token),
		},
		{name: "healthz", method: http.MethodGet, url: "/healthz", status: http.StatusOK, contains: []string{`"ok"`}},
		{name: "not ready during start-up", method: http.MethodGet, url: "/readyz", status: http.StatusServiceUnavailable, code: juta.EUNAVAILABLE},
		{
			name: "websocket route without an upgrade", method: http.MethodGet, url: "/api/ws",
			headers: bearerHeader(e.alice.token), status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{name: "websocket route without a token", method: http.MethodGet, url: "/api/ws", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},
		{
			name: "a plain request id is kept", method: http.MethodGet, url: "/healthz", status: http.StatusOK,
			headers: map[string]string{"X-Request-Id": "abc-123"}, respHeaders: map[string]string{"X-Request-Id": "abc-123"},
		},
		{
			name: "a hostile request id is replaced", method: http.MethodGet, url: "/healthz", status: http.StatusOK,
			headers: map[string]string{"X-Request-Id": "a b\"c"},
			after: func(t *testing.T, res response) {
				if id := res.header.Get("X-Request-Id"); id == "" || strings.ContainsAny(id, " \"") {
					t.Errorf("X-Request-Id = %q, want a fresh id", id)
				}
			},
		},
		{
			name: "mounted handler sees the path below its prefix", method: http.MethodPost, url: "/sim/phone/scan",
			status: http.StatusOK, contains: []string{"sim saw POST /phone/scan"},
		},
		{name: "a sibling of the mount is not mounted", method: http.MethodGet, url: "/simulator", status: http.StatusNotFound, code: juta.ENOTFOUND},
	})

	t.Run("readiness follows SetReady", func(t *testing.T) {
		e.srv.SetReady(true)
		if res := e.do(t, http.MethodGet, "/readyz", nil, ""); res.status != http.StatusOK {
			t.Fatalf("ready: status %d", res.status)
		}
		e.srv.SetReady(false)
		res := e.do(t, http.MethodGet, "/readyz", nil, "")
		scenario{status: http.StatusServiceUnavailable, code: juta.EUNAVAILABLE}.check(t, res)
	})
}

// The access log names the request without its secrets.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	body := `{"phoneNumber":"` + e.alice.phone + `","password":"` + testPassword + `"}`
	res := e.do(t, http.MethodPost, "/api/auth/login", map[string]string{"X-Request-Id": "req-login-1"}, body)
	if res.status != http.StatusOK {
		t.Fatalf("login: %d %s", res.status, res.body)
	}
	var out authResponse
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatal(err)
	}
	e.do(t, http.MethodGet, "/api/sessions/42?limit=1", bearerHeader(out.Token), "")
	e.do(t, http.MethodGet, "/wp-admin/secret-probe", nil, "")

	logs := e.logs.String()
	var found bool
	for _, line := range strings.Split(logs, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["request_id"] != "req-login-1" || rec["msg"] != "http request" {
			continue
		}
		found = true
		if rec["method"] != "POST" || rec["route"] != "/api/auth/login" || rec["status"] != float64(200) {
			t.Errorf("access log line = %s", line)
		}
		if _, ok := rec["duration"]; !ok {
			t.Errorf("access log line lacks duration: %s", line)
		}
	}
	if !found {
		t.Fatalf("no access log line for the login request:\n%s", logs)
	}
	if !strings.Contains(logs, `"route":"/api/sessions/:id"`) || !strings.Contains(logs, `"status":404`) {
		t.Errorf("no access log line for the session request:\n%s", logs)
	}
	if !strings.Contains(logs, `"route":"unmatched"`) {
		t.Errorf("no access log line for the unmatched request:\n%s", logs)
	}
	for _, secret := range []string{testPassword, out.Token, e.alice.token, "Bearer", "secret-probe", "limit=1"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs hold a secret %q", secret)
		}
	}
}
