package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

func TestRefreshScenarios(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	first := e.mustLogin(t, e.alice.phone, testPassword)
	other := e.mustLogin(t, e.alice.phone, testPassword)
	var rotated authResponse
	runScenarios(t, e.testEnv, []scenario{
		{
			name: "login answers both tokens", method: http.MethodPost, url: "/api/auth/login",
			body:   `{"phoneNumber":"+60123456789","password":"` + testPassword + `"}`,
			status: http.StatusOK, contains: []string{`"token":"`, `"refreshToken":"`, `"expiresAt":"`, `"user":{`},
			respHeaders: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "refresh rotates", method: http.MethodPost, url: "/api/auth/refresh", body: refreshBody(first.RefreshToken),
			status: http.StatusOK, respHeaders: map[string]string{"Cache-Control": "no-store"},
			after: func(t *testing.T, res response) {
				rotated = decodeAuth(t, res)
				if rotated.RefreshToken == first.RefreshToken || rotated.User.ID != e.alice.id {
					t.Fatalf("rotation = %+v", rotated)
				}
				if res := e.do(t, http.MethodGet, "/api/status", bearerHeader(rotated.Token), ""); res.status != http.StatusOK {
					t.Fatalf("new access token: %d", res.status)
				}
			},
		},
		{
			name: "reusing the rotated token is refused", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(first.RefreshToken), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
	})
	// The family's newest token was only known after the rotation ran.
	runScenarios(t, e.testEnv, []scenario{
		{
			name: "the newest token of the revoked family is refused", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(rotated.RefreshToken), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "another login's family lives on", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(other.RefreshToken), status: http.StatusOK,
			contains: []string{`"phoneNumber":"` + e.alice.phone + `"`}, after: e.wantWorkingLogin(other.RefreshToken),
		},
		{
			name: "malformed token", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody("not-a-token"), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "unknown field", method: http.MethodPost, url: "/api/auth/refresh",
			body: `{"refresh_token":"x"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
	})
}

func TestLogoutAndExpiry(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	a := e.mustLogin(t, e.alice.phone, testPassword)
	b := e.mustLogin(t, e.alice.phone, testPassword)
	runScenarios(t, e.testEnv, []scenario{
		{name: "logout", method: http.MethodPost, url: "/api/auth/logout", body: refreshBody(a.RefreshToken), status: http.StatusNoContent},
		{name: "logout again", method: http.MethodPost, url: "/api/auth/logout", body: refreshBody(a.RefreshToken), status: http.StatusNoContent},
		{name: "logout with garbage", method: http.MethodPost, url: "/api/auth/logout", body: refreshBody("x"), status: http.StatusNoContent},
		{
			name: "a logged-out family cannot refresh", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(a.RefreshToken), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
	})
	e.clock.advance(DefaultRefreshTTL + time.Minute)
	runScenarios(t, e.testEnv, []scenario{{
		name: "an expired refresh token is refused", method: http.MethodPost, url: "/api/auth/refresh",
		body: refreshBody(b.RefreshToken), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
	}, {
		name: "so is the access token by then", method: http.MethodGet, url: "/api/status",
		headers: bearerHeader(b.Token), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
	}})
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	mine := e.mustLogin(t, e.alice.phone, testPassword)
	elsewhere := e.mustLogin(t, e.alice.phone, testPassword)
	pw := func(cur, next string) string {
		b, _ := json.Marshal(passwordRequest{CurrentPassword: cur, NewPassword: next})
		return string(b)
	}
	key := e.mustKey(t, e.alice.token, `{"name":"k","scopes":["read","send","manage"]}`)
	const newPassword = "a brand new password"
	runScenarios(t, e.testEnv, []scenario{
		{
			name: "without a token", method: http.MethodPost, url: "/api/auth/password",
			body: pw(testPassword, newPassword), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "with an API key", method: http.MethodPost, url: "/api/auth/password", headers: apiKeyHeader(key),
			body: pw(testPassword, newPassword), status: http.StatusForbidden, code: juta.EFORBIDDEN,
		},
		{
			name: "wrong current password", method: http.MethodPost, url: "/api/auth/password", headers: bearerHeader(mine.Token),
			body: pw("not my password", newPassword), status: http.StatusForbidden, code: juta.EFORBIDDEN,
		},
		{
			name: "too short a new password", method: http.MethodPost, url: "/api/auth/password", headers: bearerHeader(mine.Token),
			body: pw(testPassword, "short"), status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "change", method: http.MethodPost, url: "/api/auth/password", headers: bearerHeader(mine.Token),
			body: pw(testPassword, newPassword), status: http.StatusNoContent,
		},
		{
			name: "the other login's refresh token is revoked", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(elsewhere.RefreshToken), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "the caller's own login lives on", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(mine.RefreshToken), status: http.StatusOK,
			contains: []string{`"phoneNumber":"` + e.alice.phone + `"`}, after: e.wantWorkingLogin(mine.RefreshToken),
		},
		{
			name: "the old password no longer logs in", method: http.MethodPost, url: "/api/auth/login",
			body:   `{"phoneNumber":"` + e.alice.phone + `","password":"` + testPassword + `"}`,
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		},
		{
			name: "the new one does", method: http.MethodPost, url: "/api/auth/login",
			body:   `{"phoneNumber":"` + e.alice.phone + `","password":"` + newPassword + `"}`,
			status: http.StatusOK, contains: []string{`"phoneNumber":"` + e.alice.phone + `"`},
			absent: []string{newPassword}, after: e.wantWorkingLogin(mine.RefreshToken),
		},
	})
	if logs := e.logs.String(); strings.Contains(logs, newPassword) || strings.Contains(logs, testPassword) {
		t.Fatal("a password reached the log")
	}
}

// wantWorkingLogin checks a login or refresh answer: alice's account, a
// refresh token other than spent, and an access token that reads her status.
func (e *authEnv) wantWorkingLogin(spent string) func(*testing.T, response) {
	return func(t *testing.T, res response) {
		out := decodeAuth(t, res)
		if out.User.ID != e.alice.id || out.User.Phone != e.alice.phone || out.RefreshToken == spent {
			t.Fatalf("answer %+v, want alice's account with a new refresh token", out)
		}
		if !out.ExpiresAt.After(e.clock.now()) {
			t.Errorf("the access token expires at %v, not after now (%v)", out.ExpiresAt, e.clock.now())
		}
		if res := e.do(t, http.MethodGet, "/api/status", bearerHeader(out.Token), ""); res.status != http.StatusOK ||
			!strings.Contains(string(res.body), `"sessions":`) {
			t.Fatalf("the new access token: %d %s", res.status, res.body)
		}
	}
}
