package api

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/juta-app/juta"
)

// tokenFamily reads the login family of an issued token, for tests that sign
// tokens of their own for that login.
func tokenFamily(t *testing.T, raw string) int64 {
	t.Helper()
	var c struct {
		jwt.RegisteredClaims
		Family int64 `json:"fam"`
	}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil || c.Family <= 0 {
		t.Fatalf("token family: %v (%d)", err, c.Family)
	}
	return c.Family
}

// statusWith answers GET /api/status's status for token.
func (e *authEnv) statusWith(t *testing.T, token string) int {
	t.Helper()
	return e.do(t, http.MethodGet, "/api/status", bearerHeader(token), "").status
}

func (e *authEnv) wantStatus(t *testing.T, what, token string, want int) {
	t.Helper()
	if got := e.statusWith(t, token); got != want {
		t.Fatalf("%s: GET /api/status = %d, want %d", what, got, want)
	}
}

// Access tokens stop at once when their login is revoked: by logout, by a
// refresh-token replay, by a password change (other logins), and they do
// although this node had verified and cached them a moment before.
func TestRevokedLoginsAccessTokensStopAtOnce(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	phone := e.alice.phone

	t.Run("logout", func(t *testing.T) {
		a, b := e.mustLogin(t, phone, testPassword), e.mustLogin(t, phone, testPassword)
		e.wantStatus(t, "before logout", a.Token, http.StatusOK)
		if res := e.do(t, http.MethodPost, "/api/auth/logout", nil, refreshBody(a.RefreshToken)); res.status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.status, res.body)
		}
		e.wantStatus(t, "the logged-out login's token", a.Token, http.StatusUnauthorized)
		e.wantStatus(t, "another login's token", b.Token, http.StatusOK)
	})

	t.Run("refresh replay", func(t *testing.T) {
		a := e.mustLogin(t, phone, testPassword)
		res := e.do(t, http.MethodPost, "/api/auth/refresh", nil, refreshBody(a.RefreshToken))
		if res.status != http.StatusOK {
			t.Fatalf("refresh: %d %s", res.status, res.body)
		}
		next := decodeAuth(t, res)
		e.wantStatus(t, "the rotated token", next.Token, http.StatusOK)
		if res := e.do(t, http.MethodPost, "/api/auth/refresh", nil, refreshBody(a.RefreshToken)); res.status != http.StatusUnauthorized {
			t.Fatalf("replay: %d %s", res.status, res.body)
		}
		e.wantStatus(t, "the first token of a replayed family", a.Token, http.StatusUnauthorized)
		e.wantStatus(t, "the rotated token of a replayed family", next.Token, http.StatusUnauthorized)
	})

	t.Run("password change", func(t *testing.T) {
		mine, other := e.mustLogin(t, phone, testPassword), e.mustLogin(t, phone, testPassword)
		e.wantStatus(t, "before the change", other.Token, http.StatusOK)
		body, _ := json.Marshal(passwordRequest{CurrentPassword: testPassword, NewPassword: testPassword + " 2"})
		if res := e.do(t, http.MethodPost, "/api/auth/password", bearerHeader(mine.Token), string(body)); res.status != http.StatusNoContent {
			t.Fatalf("change password: %d %s", res.status, res.body)
		}
		e.wantStatus(t, "another login's token", other.Token, http.StatusUnauthorized)
		e.wantStatus(t, "the caller's own token", mine.Token, http.StatusOK)
	})
}

// Another node that verified and cached a token refuses it once its cache
// of the login (AccountCacheTTL) has aged, whatever the token's expiry.
func TestRevokedLoginReachesOtherNodes(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	other := New(e.srv.cfg, e.srv.deps) // a second node on the same database
	a := e.mustLogin(t, e.alice.phone, testPassword)
	onOther := func() int {
		req, _ := http.NewRequest(http.MethodGet, "/api/status", nil)
		req.Header.Set("Authorization", "Bearer "+a.Token)
		res, err := other.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	if got := onOther(); got != http.StatusOK {
		t.Fatalf("the other node before logout: %d", got)
	}
	if res := e.do(t, http.MethodPost, "/api/auth/logout", nil, refreshBody(a.RefreshToken)); res.status != http.StatusNoContent {
		t.Fatalf("logout: %d", res.status)
	}
	e.clock.advance(DefaultAccountCacheTTL + time.Second)
	if got := onOther(); got != http.StatusUnauthorized {
		t.Fatalf("the other node after logout and its cache's TTL: %d, want 401", got)
	}
}

// A token without a login family (none is ever issued) cannot be revoked, so
// it is refused.
func TestTokenWithoutFamilyIsRefused(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	tok, _, err := e.srv.authn.IssueToken(t.Context(), e.alice.id, 0)
	if err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodGet, "/api/status", bearerHeader(tok), "")
	checkProblem(t, res, http.StatusUnauthorized, juta.EUNAUTHORIZED)
}
