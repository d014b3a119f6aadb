package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

// Every answer carries nosniff and a Referrer-Policy; every authenticated
// one (and every auth route's) is no-store; HTML pages get the page hook.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	e.srv.Mount("/mounted", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	sid := e.mustSession(t, e.alice.id, "shop").ID
	all := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
	private := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
	runScenarios(t, e.testEnv, []scenario{
		{name: "an authenticated read", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d", sid),
			headers: bearerHeader(e.alice.token), status: 200, respHeaders: private},
		{name: "an authenticated list", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d/messages", sid),
			headers: bearerHeader(e.alice.token), status: 200, respHeaders: private},
		{name: "an authenticated error", method: http.MethodGet, url: "/api/sessions/999",
			headers: bearerHeader(e.alice.token), status: 404, code: juta.ENOTFOUND, respHeaders: private},
		{name: "a refused credential", method: http.MethodGet, url: "/api/status", status: 401, code: juta.EUNAUTHORIZED,
			respHeaders: private},
		{name: "a failed login", method: http.MethodPost, url: "/api/auth/login",
			body: `{"phoneNumber":"` + e.alice.phone + `","password":"nope nope"}`, status: 401, code: juta.EUNAUTHORIZED,
			respHeaders: private},
		{name: "a public route", method: http.MethodGet, url: "/healthz", status: 200, respHeaders: all},
		{name: "an unknown route", method: http.MethodGet, url: "/nothing-here", status: 404, code: juta.ENOTFOUND, respHeaders: all},
		{name: "a mounted handler", method: http.MethodGet, url: "/mounted", status: 200, respHeaders: all},
		{name: "an HTML page keeps its own policy", method: http.MethodGet, url: "/api/docs", status: 200,
			respHeaders: map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"},
			after: func(t *testing.T, res response) {
				if res.header.Get("Content-Security-Policy") != docsCSP {
					t.Errorf("CSP = %q", res.header.Get("Content-Security-Policy"))
				}
			}},
	})
}
