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

// mustKey creates an API key with the caller's access token and returns it.
func (e *authEnv) mustKey(t *testing.T, token, body string) string {
	t.Helper()
	res := e.do(t, http.MethodPost, "/api/keys", bearerHeader(token), body)
	if res.status != http.StatusCreated {
		t.Fatalf("create key: %d %s", res.status, res.body)
	}
	var out createdKey
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Key
}

func keyID(t *testing.T, e *authEnv, uid juta.UserID, name string) int64 {
	t.Helper()
	keys, err := e.db.APIKeys(context.Background(), uid)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.Name == name {
			return k.ID
		}
	}
	t.Fatalf("no key %q", name)
	return 0
}

func TestAPIKeyScenarios(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	mine := e.mustSession(t, e.alice.id, "mine")
	second := e.mustSession(t, e.alice.id, "second")
	bobs := e.mustSession(t, e.bob.id, "bob's")
	read := e.mustKey(t, e.alice.token, `{"name":"reader","scopes":["read"]}`)
	manage := e.mustKey(t, e.alice.token, `{"name":"manager","scopes":["manage","read"]}`)
	bound := e.mustKey(t, e.alice.token, fmt.Sprintf(`{"name":"bound","scopes":["read","send","manage"],"sessionId":%d}`, mine.ID))
	bobKey := e.mustKey(t, e.bob.token, `{"name":"bob","scopes":["read"]}`)
	sess := func(id juta.SessionID) string { return fmt.Sprintf("/api/sessions/%d", id) }

	runScenarios(t, e.testEnv, []scenario{
		{
			name: "create shows the key once", method: http.MethodPost, url: "/api/keys", headers: bearerHeader(e.alice.token),
			body:   `{"name":"ci","scopes":["send","read","read"]}`,
			status: http.StatusCreated, contains: []string{`"key":"juta_`, `"prefix":"juta_`, `"scopes":["read","send"]`, `"name":"ci"`},
			respHeaders: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "list never shows a key", method: http.MethodGet, url: "/api/keys", headers: bearerHeader(e.alice.token),
			status: http.StatusOK, contains: []string{`"name":"reader"`, `"name":"bound"`, `"items":[`},
			absent: []string{read[len(auth.APIKeyPrefix):], manage[len(auth.APIKeyPrefix):], `"key":`, `"name":"bob"`},
		},
		{
			name: "unknown scope", method: http.MethodPost, url: "/api/keys", headers: bearerHeader(e.alice.token),
			body: `{"name":"x","scopes":["read","admin"]}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "no scope", method: http.MethodPost, url: "/api/keys", headers: bearerHeader(e.alice.token),
			body: `{"name":"x","scopes":[]}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "no name", method: http.MethodPost, url: "/api/keys", headers: bearerHeader(e.alice.token),
			body: `{"scopes":["read"]}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "bound to another user's session", method: http.MethodPost, url: "/api/keys", headers: bearerHeader(e.alice.token),
			body:   fmt.Sprintf(`{"name":"x","scopes":["read"],"sessionId":%d}`, bobs.ID),
			status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "a read key reads", method: http.MethodGet, url: "/api/status", headers: bearerHeader(read), status: http.StatusOK,
			contains: []string{`"name":"mine"`, `"name":"second"`}, absent: []string{`"name":"bob's"`},
		},
		{
			name: "X-Api-Key works too", method: http.MethodGet, url: sess(second.ID), headers: apiKeyHeader(read), status: http.StatusOK,
			contains: []string{fmt.Sprintf(`"id":%d`, second.ID), `"name":"second"`},
		},
		{
			name: "a read key cannot manage", method: http.MethodPost, url: "/api/sessions", headers: apiKeyHeader(read),
			status: http.StatusForbidden, code: juta.EFORBIDDEN,
		},
		{
			name: "a read key cannot create keys", method: http.MethodPost, url: "/api/keys", headers: apiKeyHeader(read),
			body: `{"name":"x","scopes":["read"]}`, status: http.StatusForbidden, code: juta.EFORBIDDEN,
		},
		{
			name: "a manage key creates keys within its scopes", method: http.MethodPost, url: "/api/keys", headers: apiKeyHeader(manage),
			body: `{"name":"child","scopes":["read"]}`, status: http.StatusCreated,
			contains: []string{`"key":"juta_`, `"name":"child"`, `"scopes":["read"]`},
		},
		{
			name: "but not beyond them", method: http.MethodPost, url: "/api/keys", headers: apiKeyHeader(manage),
			body: `{"name":"child","scopes":["send"]}`, status: http.StatusForbidden, code: juta.EFORBIDDEN,
		},
		{
			name: "a bound key reaches its session", method: http.MethodGet, url: sess(mine.ID), headers: apiKeyHeader(bound),
			status: http.StatusOK, contains: []string{fmt.Sprintf(`"id":%d`, mine.ID), `"name":"mine"`},
		},
		{
			name: "a bound key gets 404 on the user's other session", method: http.MethodGet, url: sess(second.ID) + "/messages",
			headers: apiKeyHeader(bound), status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "a bound key cannot create sessions", method: http.MethodPost, url: "/api/sessions", headers: apiKeyHeader(bound),
			status: http.StatusForbidden, code: juta.EFORBIDDEN,
		},
		{
			name: "a bound key lists only its session's keys", method: http.MethodGet, url: "/api/keys", headers: apiKeyHeader(bound),
			status: http.StatusOK, contains: []string{`"name":"bound"`}, absent: []string{`"name":"reader"`},
		},
		{
			name: "another user's session is 404", method: http.MethodGet, url: sess(bobs.ID), headers: apiKeyHeader(read),
			status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "a malformed key", method: http.MethodGet, url: "/api/status", headers: apiKeyHeader("juta_nope"),
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "a well-formed unknown key", method: http.MethodGet, url: "/api/status",
			headers: bearerHeader(auth.APIKeyPrefix + strings.Repeat("A", auth.APIKeyLen-len(auth.APIKeyPrefix))),
			status:  http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "a key in the WebSocket query is refused", method: http.MethodGet, url: "/api/ws?token=" + read,
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "revoking bob's key is 404", method: http.MethodDelete,
			url: fmt.Sprintf("/api/keys/%d", keyID(t, e, e.bob.id, "bob")), headers: bearerHeader(e.alice.token),
			status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "bob's key still works", method: http.MethodGet, url: "/api/status", headers: apiKeyHeader(bobKey), status: http.StatusOK,
			contains: []string{`"name":"bob's"`}, absent: []string{`"name":"mine"`},
		},
		{
			name: "revoke", method: http.MethodDelete, url: fmt.Sprintf("/api/keys/%d", keyID(t, e, e.alice.id, "reader")),
			headers: bearerHeader(e.alice.token), status: http.StatusNoContent,
		},
		{
			name: "a revoked key is refused", method: http.MethodGet, url: "/api/status", headers: apiKeyHeader(read),
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "revoke a bad id", method: http.MethodDelete, url: "/api/keys/abc", headers: bearerHeader(e.alice.token),
			status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
	})

	// Use is recorded in batches, off the request path: a use after the
	// batch interval writes every key marked since.
	e.clock.advance(auth.KeyUsageFlushEvery)
	if res := e.do(t, http.MethodGet, "/api/status", apiKeyHeader(bobKey), ""); res.status != http.StatusOK {
		t.Fatalf("bob's key: %d", res.status)
	}
	eventually(t, "last_used_at of the used keys", func() bool {
		mineKeys, err1 := e.db.APIKeys(context.Background(), e.alice.id)
		bobKeys, err2 := e.db.APIKeys(context.Background(), e.bob.id)
		if err1 != nil || err2 != nil || len(bobKeys) != 1 || bobKeys[0].LastUsedAt == nil {
			return false
		}
		for _, k := range mineKeys {
			if k.Name == "bound" {
				return k.LastUsedAt != nil
			}
		}
		return false
	})
	for _, k := range []string{read, manage, bound} {
		if strings.Contains(e.logs.String(), k[len(auth.APIKeyPrefix):]) {
			t.Fatal("an API key reached the log")
		}
	}
}
