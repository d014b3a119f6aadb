package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

func TestSessionScenarios(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	shop := e.rt.addSession(e.alice.id, "Shop", juta.StateQR)
	linked := e.rt.addSession(e.alice.id, "Linked", juta.StateConnected)
	broken := e.rt.addSession(e.alice.id, "broken", juta.StateNew)
	bobs := e.rt.addSession(e.bob.id, "Bob's phone", juta.StateQR)
	alice := bearerHeader(e.alice.token)
	carol := e.mustRegister(t, "+60177777777")
	url := func(format string, sid juta.SessionID) string { return fmt.Sprintf(format, sid) }
	lastCall := func(method string, sid juta.SessionID, arg string, limit int) func(*testing.T, response) {
		return func(t *testing.T, _ response) {
			got := e.rt.lastCall()
			want := testCall{method: method, uid: e.alice.id, sid: sid, arg: arg, limit: limit, hadDeadline: true}
			if got != want {
				t.Errorf("runtime call = %+v, want %+v", got, want)
			}
		}
	}

	runScenarios(t, e, []scenario{
		{
			name: "status lists only the caller's sessions", method: http.MethodGet, url: "/api/status", headers: alice,
			status: http.StatusOK, contains: []string{`{"sessions":[`, `"name":"Shop"`, `"name":"Linked"`},
			absent: []string{"Bob's phone"}, after: lastCall("Status", 0, "", 0),
		},
		{
			name: "status of a user without sessions is an empty list", method: http.MethodGet, url: "/api/status",
			headers: bearerHeader(carol.token), status: http.StatusOK, contains: []string{`{"sessions":[]}`},
		},
		{
			name: "create a named session", method: http.MethodPost, url: "/api/sessions", headers: alice,
			body: `{"name":"  Counter  "}`, status: http.StatusCreated,
			contains: []string{`"name":"Counter"`, `"state":"qr"`}, after: lastCall("CreateSession", 0, "Counter", 0),
		},
		{
			name: "create a session without a body", method: http.MethodPost, url: "/api/sessions", headers: alice,
			status: http.StatusCreated, contains: []string{`"name":""`},
		},
		{
			name: "create a session with an unknown field", method: http.MethodPost, url: "/api/sessions", headers: alice,
			body: `{"name":"x","state":"connected"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "create a session with a too long name", method: http.MethodPost, url: "/api/sessions", headers: alice,
			body: `{"name":"` + string(bytes.Repeat([]byte("n"), 101)) + `"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "get a session", method: http.MethodGet, url: url("/api/sessions/%d", shop.ID), headers: alice,
			status: http.StatusOK, contains: []string{`"name":"Shop"`, fmt.Sprintf(`"id":%d`, shop.ID)},
			after: lastCall("Session", shop.ID, "", 0),
		},
		{
			name: "another user's session is not found", method: http.MethodGet, url: url("/api/sessions/%d", bobs.ID),
			headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND, absent: []string{"Bob"},
		},
		{
			name: "another user's session QR is not found", method: http.MethodGet, url: url("/api/sessions/%d/qr", bobs.ID),
			headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{name: "non-numeric session id", method: http.MethodGet, url: "/api/sessions/abc", headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "zero session id", method: http.MethodGet, url: "/api/sessions/0", headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "negative session id", method: http.MethodGet, url: "/api/sessions/-1", headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "session id past int64", method: http.MethodGet, url: "/api/sessions/9223372036854775808", headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "session id with a leading zero", method: http.MethodGet, url: url("/api/sessions/0%d", shop.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{
			name: "QR as JSON", method: http.MethodGet, url: url("/api/sessions/%d/qr", shop.ID), headers: alice,
			status: http.StatusOK, contains: []string{`"qr":"2@qr-code-for-Shop"`, `"expiresAt":"`},
			respHeaders: map[string]string{"Cache-Control": "no-store", "Content-Type": "application/json"},
			after:       lastCall("QR", shop.ID, "", 0),
		},
		{
			name: "QR as PNG", method: http.MethodGet, url: url("/api/sessions/%d/qr?format=png", shop.ID), headers: alice,
			status: http.StatusOK, respHeaders: map[string]string{"Content-Type": "image/png", "Cache-Control": "no-store"},
			after: func(t *testing.T, res response) {
				if !bytes.HasPrefix(res.body, []byte("\x89PNG\r\n\x1a\n")) {
					t.Errorf("body is not a PNG: % x", res.body[:min(len(res.body), 16)])
				}
			},
		},
		{
			name: "QR in an unknown format", method: http.MethodGet, url: url("/api/sessions/%d/qr?format=svg", shop.ID),
			headers: alice, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "QR of a connected session", method: http.MethodGet, url: url("/api/sessions/%d/qr", linked.ID),
			headers: alice, status: http.StatusConflict, code: juta.ESTATE,
		},
		{
			name: "pair by phone normalises the number", method: http.MethodPost, url: url("/api/sessions/%d/pair", shop.ID),
			headers: alice, body: `{"phoneNumber":"012-345 6789"}`, status: http.StatusOK,
			contains: []string{`{"code":"ABCD-EFGH"}`}, after: lastCall("PairPhone", shop.ID, "+60123456789", 0),
		},
		{
			name: "pair with a bad phone", method: http.MethodPost, url: url("/api/sessions/%d/pair", shop.ID),
			headers: alice, body: `{"phoneNumber":"+1"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "pair without a body", method: http.MethodPost, url: url("/api/sessions/%d/pair", shop.ID),
			headers: alice, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "messages pass limit and cursor through", method: http.MethodGet,
			url: url("/api/sessions/%d/messages?limit=2&cursor=c-41", shop.ID), headers: alice, status: http.StatusOK,
			contains: []string{`"items":[{"id":100`, `"nextCursor":"after-c-41"`},
			after:    lastCall("Messages", shop.ID, "c-41", 2),
		},
		{
			name: "messages default to 50 from the start", method: http.MethodGet,
			url: url("/api/sessions/%d/messages", shop.ID), headers: alice, status: http.StatusOK,
			after: lastCall("Messages", shop.ID, "", defaultPageLimit),
		},
		{
			name: "messages with an empty page", method: http.MethodGet,
			url: url("/api/sessions/%d/messages?limit=1&cursor=x", shop.ID), headers: alice, status: http.StatusOK,
			after: func(t *testing.T, res response) {
				var page map[string]json.RawMessage
				if err := json.Unmarshal(res.body, &page); err != nil || page["items"] == nil {
					t.Errorf("page = %s (%v), want items", res.body, err)
				}
			},
		},
		{
			name: "one message", method: http.MethodGet, url: url("/api/sessions/%d/messages/100", shop.ID), headers: alice,
			status: http.StatusOK, contains: []string{`"id":100`, `"contactName":"Ali Kedai"`},
		},
		{name: "one message not in the session", method: http.MethodGet, url: url("/api/sessions/%d/messages/7", shop.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "one message of another user's session", method: http.MethodGet, url: url("/api/sessions/%d/messages/100", bobs.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "one message not an id", method: http.MethodGet, url: url("/api/sessions/%d/messages/x1", shop.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "messages limit 0", method: http.MethodGet, url: url("/api/sessions/%d/messages?limit=0", shop.ID), headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "messages limit over the cap", method: http.MethodGet, url: url("/api/sessions/%d/messages?limit=201", shop.ID), headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "messages limit not a number", method: http.MethodGet, url: url("/api/sessions/%d/messages?limit=ten", shop.ID), headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "messages cursor with a space", method: http.MethodGet, url: url("/api/sessions/%d/messages?cursor=a%%20b", shop.ID), headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "messages cursor refused by the store", method: http.MethodGet, url: url("/api/sessions/%d/messages?cursor=bad", shop.ID), headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{
			name: "an internal error does not leak", method: http.MethodGet, url: url("/api/sessions/%d", broken.ID),
			headers: alice, status: http.StatusInternalServerError, code: juta.EINTERNAL,
			contains: []string{`"detail":"internal error"`}, absent: []string{"hunter2", "connection refused"},
		},
		{
			name: "an unavailable runtime is 503", method: http.MethodPost, url: "/api/sessions", headers: alice,
			body: `{"name":"unavailable"}`, status: http.StatusServiceUnavailable, code: juta.EUNAVAILABLE,
		},
		{
			name: "a panic is a 500 without internals", method: http.MethodPost, url: "/api/sessions", headers: alice,
			body: `{"name":"panic"}`, status: http.StatusInternalServerError, code: juta.EINTERNAL,
			absent: []string{"exploded", "secret"},
		},
	})
}
