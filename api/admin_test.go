package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

func TestAdminScenarios(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	root := e.mustCreate(t, "+60125550100", juta.RoleAdmin)
	s := e.mustSession(t, e.bob.id, "bob's phone")
	bobLogin := e.mustLogin(t, e.bob.phone, testPassword)
	bobKey := e.mustKey(t, e.bob.token, `{"name":"bob","scopes":["read"]}`)
	rootKey := e.mustKey(t, root.token, `{"name":"root","scopes":["read","send","manage"]}`)
	adminURL := func(uid juta.UserID, verb string) string { return fmt.Sprintf("/api/admin/users/%d/%s", uid, verb) }

	runScenarios(t, e.testEnv, []scenario{
		{
			name: "a user gets 404", method: http.MethodGet, url: "/api/admin/users", headers: bearerHeader(e.alice.token),
			status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "an admin's API key gets 404", method: http.MethodGet, url: "/api/admin/sessions", headers: apiKeyHeader(rootKey),
			status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "a user cannot disable", method: http.MethodPost, url: adminURL(e.bob.id, "disable"),
			headers: bearerHeader(e.alice.token), status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "no token", method: http.MethodGet, url: "/api/admin/users", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "users, paginated", method: http.MethodGet, url: "/api/admin/users?limit=2", headers: bearerHeader(root.token),
			status: http.StatusOK, contains: []string{`"items":[`, `"nextCursor":"`, e.alice.phone, e.bob.phone},
			absent: []string{"argon2", "password"},
		},
		{
			name: "bad limit", method: http.MethodGet, url: "/api/admin/users?limit=0", headers: bearerHeader(root.token),
			status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "sessions", method: http.MethodGet, url: "/api/admin/sessions", headers: bearerHeader(root.token),
			status: http.StatusOK, contains: []string{`"ownerPhone":"` + e.bob.phone + `"`, `"messagesIn":0`, `"messagesOut":0`, fmt.Sprintf(`"id":%d`, s.ID),
				fmt.Sprintf(`"userId":%d`, e.bob.id)},
		},
		{
			name: "disable bob", method: http.MethodPost, url: adminURL(e.bob.id, "disable"), headers: bearerHeader(root.token),
			status: http.StatusOK, contains: []string{`"disabled":true`, `"disabledAt":"`},
			after: func(t *testing.T, _ response) {
				if c := e.rt.lastCall(); c.method != "StopUser" || c.uid != e.bob.id || !c.hadDeadline {
					t.Fatalf("last runtime call = %+v, want StopUser of bob", c)
				}
			},
		},
		{
			name: "bob's access token is refused", method: http.MethodGet, url: "/api/status", headers: bearerHeader(bobLogin.Token),
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "bob's refresh token is revoked", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(bobLogin.RefreshToken), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "bob's API key is refused", method: http.MethodGet, url: "/api/status", headers: apiKeyHeader(bobKey),
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "bob cannot log in", method: http.MethodPost, url: "/api/auth/login",
			body:   `{"phoneNumber":"` + e.bob.phone + `","password":"` + testPassword + `"}`,
			status: http.StatusForbidden, code: juta.EFORBIDDEN,
		},
		{
			name: "an admin cannot disable themself", method: http.MethodPost, url: adminURL(root.id, "disable"),
			headers: bearerHeader(root.token), status: http.StatusConflict, code: juta.ESTATE,
		},
		{
			name: "unknown user", method: http.MethodPost, url: adminURL(999999, "disable"),
			headers: bearerHeader(root.token), status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "enable bob", method: http.MethodPost, url: adminURL(e.bob.id, "enable"), headers: bearerHeader(root.token),
			status: http.StatusOK, contains: []string{`"disabled":false`},
		},
		{
			name: "bob logs in again", method: http.MethodPost, url: "/api/auth/login",
			body:   `{"phoneNumber":"` + e.bob.phone + `","password":"` + testPassword + `"}`,
			status: http.StatusOK, contains: []string{`"token":"`, `"refreshToken":"`, `"phoneNumber":"` + e.bob.phone + `"`},
		},
		{
			name: "and his key works again", method: http.MethodGet, url: "/api/status", headers: apiKeyHeader(bobKey),
			status: http.StatusOK, contains: []string{`"name":"bob's phone"`},
		},
	})
}
