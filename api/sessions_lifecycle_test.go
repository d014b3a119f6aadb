package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

func TestSessionLifecycleScenarios(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	shop := e.mustSession(t, e.alice.id, "Shop")
	home := e.mustSession(t, e.alice.id, "Home")
	bobs := e.mustSession(t, e.bob.id, "Bob's phone")
	gone := e.mustSession(t, e.alice.id, "Gone")
	alice := bearerHeader(e.alice.token)
	// A key bound to Shop with every scope, and an unbound read-only key.
	bound := apiKeyHeader(e.mustKey(t, e.alice.token, fmt.Sprintf(`{"name":"shop","scopes":["read","send","manage"],"sessionId":%d}`, shop.ID)))
	reader := apiKeyHeader(e.mustKey(t, e.alice.token, `{"name":"reader","scopes":["read"]}`))
	url := func(format string, sid juta.SessionID) string { return fmt.Sprintf(format, sid) }
	state := func(sid juta.SessionID, want juta.SessionState) func(*testing.T, response) {
		return func(t *testing.T, _ response) {
			e.rt.mu.Lock()
			defer e.rt.mu.Unlock()
			if got := e.rt.sessions[sid].State; got != want {
				t.Errorf("session %d state = %q, want %q", sid, got, want)
			}
		}
	}

	runScenarios(t, e.testEnv, []scenario{
		{
			name: "list the caller's sessions", method: http.MethodGet, url: "/api/sessions", headers: alice,
			status: http.StatusOK, contains: []string{`{"items":[`, `"name":"Shop"`, `"name":"Home"`},
			absent: []string{"Bob's phone", "nextCursor"},
		},
		{
			name: "a bound key lists its session only", method: http.MethodGet, url: "/api/sessions", headers: bound,
			status: http.StatusOK, contains: []string{`"name":"Shop"`}, absent: []string{`"name":"Home"`},
		},
		{
			name: "a bound key sees its session only in the status", method: http.MethodGet, url: "/api/status", headers: bound,
			status: http.StatusOK, contains: []string{`"name":"Shop"`}, absent: []string{`"name":"Home"`},
		},
		{
			name: "stop", method: http.MethodPost, url: url("/api/sessions/%d/stop", home.ID), headers: alice,
			status: http.StatusOK, contains: []string{`"state":"stopped"`}, after: state(home.ID, juta.StateStopped),
		},
		{
			name: "start", method: http.MethodPost, url: url("/api/sessions/%d/start", home.ID), headers: alice,
			status: http.StatusOK, contains: []string{`"state":"connected"`}, after: state(home.ID, juta.StateConnected),
		},
		{
			name: "logout", method: http.MethodPost, url: url("/api/sessions/%d/logout", home.ID), headers: alice,
			status: http.StatusOK, contains: []string{`"state":"logged_out"`}, after: state(home.ID, juta.StateLoggedOut),
		},
		{
			name: "rename", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{"name":"  Kedai Runcit  "}`, status: http.StatusOK, contains: []string{`"name":"Kedai Runcit"`},
		},
		{
			name: "rename to an empty name", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{"name":""}`, status: http.StatusOK, contains: []string{`"name":""`},
		},
		{
			name: "rename without a name", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "keep a session connected while idle", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{"alwaysOn":true}`, status: http.StatusOK, contains: []string{`"alwaysOn":true`, `"name":""`},
		},
		{
			name: "rename and let it sleep at once", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{"name":"Home","alwaysOn":false}`, status: http.StatusOK, contains: []string{`"alwaysOn":false`, `"name":"Home"`},
		},
		{
			name: "always-on that is not a boolean", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{"alwaysOn":"yes"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "rename with an unknown field", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{"name":"x","state":"connected"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "rename with a control character", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: `{"name":"a\u0007b"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "rename to a too long name", method: http.MethodPatch, url: url("/api/sessions/%d", home.ID), headers: alice,
			body: fmt.Sprintf(`{"name":"%0101d"}`, 0), status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "delete", method: http.MethodDelete, url: url("/api/sessions/%d", gone.ID), headers: alice,
			status: http.StatusNoContent,
			after: func(t *testing.T, _ response) {
				res := e.do(t, http.MethodGet, url("/api/sessions/%d", gone.ID), alice, "")
				scenario{status: http.StatusNotFound, code: juta.ENOTFOUND}.check(t, res)
			},
		},
		{name: "delete again", method: http.MethodDelete, url: url("/api/sessions/%d", gone.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "start another user's session", method: http.MethodPost, url: url("/api/sessions/%d/start", bobs.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "stop another user's session", method: http.MethodPost, url: url("/api/sessions/%d/stop", bobs.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "log out another user's session", method: http.MethodPost, url: url("/api/sessions/%d/logout", bobs.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "delete another user's session", method: http.MethodDelete, url: url("/api/sessions/%d", bobs.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND, after: state(bobs.ID, juta.StateConnected)},
		{name: "rename another user's session", method: http.MethodPatch, url: url("/api/sessions/%d", bobs.ID), headers: alice, body: `{"name":"mine"}`, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "a bound key cannot reach another session", method: http.MethodPost, url: url("/api/sessions/%d/stop", home.ID), headers: bound, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "a bound key cannot read another session", method: http.MethodGet, url: url("/api/sessions/%d", home.ID), headers: bound, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "a bound key stops its session", method: http.MethodPost, url: url("/api/sessions/%d/stop", shop.ID), headers: bound, status: http.StatusOK, after: state(shop.ID, juta.StateStopped)},
		{name: "a read key cannot stop", method: http.MethodPost, url: url("/api/sessions/%d/stop", shop.ID), headers: reader, status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "a read key cannot delete", method: http.MethodDelete, url: url("/api/sessions/%d", shop.ID), headers: reader, status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "a read key cannot rename", method: http.MethodPatch, url: url("/api/sessions/%d", shop.ID), headers: reader, body: `{"name":"x"}`, status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "a read key lists", method: http.MethodGet, url: "/api/sessions", headers: reader, status: http.StatusOK, contains: []string{`"name":"Shop"`}},
		{name: "list without credentials", method: http.MethodGet, url: "/api/sessions", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},
		{name: "stop a malformed id", method: http.MethodPost, url: "/api/sessions/01/stop", headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
	})
}
