package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

func TestAuthScenarios(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	cred := func(phone, pw string) string {
		b, _ := json.Marshal(credentials{PhoneNumber: phone, Password: pw})
		return string(b)
	}
	const badLogin = "invalid phone number or password"
	runScenarios(t, e, []scenario{
		{
			name: "register normalises a local number to E.164", method: http.MethodPost, url: "/api/auth/register",
			body:   cred("012-555 0101", "a good password"),
			status: http.StatusCreated, contains: []string{`"token":"`, `"phoneNumber":"+60125550101"`, `"role":"user"`},
			absent:      []string{"a good password", "argon2"},
			respHeaders: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "register with a bad phone", method: http.MethodPost, url: "/api/auth/register",
			body: cred("12", "a good password"), status: http.StatusBadRequest, code: juta.EINVALID,
			contains: []string{"phoneNumber"},
		},
		{
			name: "register with a short password", method: http.MethodPost, url: "/api/auth/register",
			body: cred("+60125550102", "short"), status: http.StatusBadRequest, code: juta.EINVALID,
			contains: []string{"8 to 128"},
		},
		{
			name: "register with a password over 128 characters", method: http.MethodPost, url: "/api/auth/register",
			body: cred("+60125550102", strings.Repeat("ś", 129)), status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "register an existing number written differently", method: http.MethodPost, url: "/api/auth/register",
			body: cred("012 345 6789", "another password"), status: http.StatusConflict, code: juta.ECONFLICT,
			contains: []string{"already registered"}, absent: []string{"create user", "exists"},
		},
		{
			name: "register with an unknown field", method: http.MethodPost, url: "/api/auth/register",
			body:   `{"phoneNumber":"+60125550103","password":"a good password","role":"admin"}`,
			status: http.StatusBadRequest, code: juta.EINVALID, contains: []string{`unknown field \"role\"`},
		},
		{
			name: "register with malformed JSON", method: http.MethodPost, url: "/api/auth/register",
			body: `{"phoneNumber":`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "register with two documents", method: http.MethodPost, url: "/api/auth/register",
			body:   cred("+60125550103", "a good password") + `{}`,
			status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "register with a wrong type", method: http.MethodPost, url: "/api/auth/register",
			body: `{"phoneNumber":60125550103,"password":"a good password"}`, status: http.StatusBadRequest, code: juta.EINVALID,
			contains: []string{"phoneNumber"},
		},
		{
			name: "register with an empty body", method: http.MethodPost, url: "/api/auth/register",
			status: http.StatusBadRequest, code: juta.EINVALID,
		},
		{
			name: "register with an oversized body", method: http.MethodPost, url: "/api/auth/register",
			headers: map[string]string{"Content-Length": strconv.Itoa(65 << 10), "Content-Type": "application/json"},
			status:  http.StatusRequestEntityTooLarge, code: juta.ETOOLARGE, live: true,
		},
		{
			name: "login", method: http.MethodPost, url: "/api/auth/login",
			body: cred(e.alice.phone, testPassword), status: http.StatusOK,
			contains: []string{`"token":"`, `"phoneNumber":"+60123456789"`, `"expiresAt":"`},
			after: func(t *testing.T, res response) {
				var out authResponse
				if err := json.Unmarshal(res.body, &out); err != nil {
					t.Fatal(err)
				}
				if tok, err := e.srv.authn.ParseToken(out.Token); err != nil || tok.UserID != e.alice.id {
					t.Errorf("login token names user %d (%v), want %d", tok.UserID, err, e.alice.id)
				}
			},
		},
		{
			name: "login with the local form of the number", method: http.MethodPost, url: "/api/auth/login",
			body: cred("0123456789", testPassword), status: http.StatusOK, contains: []string{`"token":"`},
		},
		{
			name: "login with a wrong password", method: http.MethodPost, url: "/api/auth/login",
			body: cred(e.alice.phone, "not the password"), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
			contains: []string{badLogin}, respHeaders: map[string]string{"WWW-Authenticate": "Bearer"},
		},
		{
			name: "login with an unknown number answers the same", method: http.MethodPost, url: "/api/auth/login",
			body: cred("+60125559999", testPassword), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
			contains: []string{badLogin},
		},
		{
			name: "login with a malformed number answers the same", method: http.MethodPost, url: "/api/auth/login",
			body: cred("hello", testPassword), status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
			contains: []string{badLogin},
		},
		{
			name: "login with an unknown field", method: http.MethodPost, url: "/api/auth/login",
			body: `{"phone":"+60123456789","password":"x"}`, status: http.StatusBadRequest, code: juta.EINVALID,
		},
	})
}

// forge signs claims with method and key, for tokens the server must refuse.
// It names the static key's kid, as the server's own tokens do.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = auth.StaticKID
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("forge token: %v", err)
	}
	return s
}

func TestTokenScenarios(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	now := time.Now()
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": auth.TokenIssuer, "sub": "1", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": "t1"}
	}
	without := func(claim string) jwt.MapClaims { c := valid(); delete(c, claim); return c }
	with := func(claim string, v any) jwt.MapClaims { c := valid(); c[claim] = v; return c }
	claimsFor := func(c jwt.MapClaims) jwt.MapClaims {
		c["sub"] = strconv.FormatInt(int64(e.alice.id), 10)
		c["fam"] = tokenFamily(t, e.alice.token)
		return c
	}

	tampered := []byte(e.alice.token)
	// Flip one character of the payload: the signature no longer matches.
	dot := strings.IndexByte(e.alice.token, '.')
	tampered[dot+2] ^= 1

	cases := []struct {
		name   string
		header map[string]string
	}{
		{"missing", nil},
		{"another scheme", map[string]string{"Authorization": "Basic " + e.alice.token}},
		{"empty bearer", map[string]string{"Authorization": "Bearer "}},
		{"garbage", bearerHeader("not.a.token")},
		{"tampered", bearerHeader(string(tampered))},
		{"alg none", bearerHeader(forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claimsFor(valid())))},
		{"HS512 with the right key", bearerHeader(forge(t, jwt.SigningMethodHS512, e.key, claimsFor(valid())))},
		{"another key", bearerHeader(forge(t, jwt.SigningMethodHS256, []byte(strings.Repeat("k", 32)), claimsFor(valid())))},
		{"expired", bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, claimsFor(with("exp", now.Add(-time.Minute).Unix()))))},
		{"without exp", bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, claimsFor(without("exp"))))},
		{"without iat", bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, claimsFor(without("iat"))))},
		{"iat in the future", bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, claimsFor(with("iat", now.Add(time.Hour).Unix()))))},
		{"without sub", bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, without("sub")))},
		{"non-numeric sub", bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, with("sub", "alice")))},
		{"another issuer", bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, claimsFor(with("iss", "evil"))))},
		{"token in the query of a plain route", nil},
	}
	// Alice's session in the status answer shows whose token was accepted.
	e.rt.addSession(e.alice.id, "alice-token-check", juta.StateConnected)
	alices := []string{`"sessions":[{`, `"name":"alice-token-check"`}
	var scenarios []scenario
	for _, c := range cases {
		url := "/api/status"
		if c.name == "token in the query of a plain route" {
			url += "?token=" + e.alice.token
		}
		scenarios = append(scenarios, scenario{
			name: c.name, method: http.MethodGet, url: url, headers: c.header,
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED,
		})
	}
	scenarios = append(scenarios,
		scenario{
			name: "a forged but correctly signed token works", method: http.MethodGet, url: "/api/status",
			headers: bearerHeader(forge(t, jwt.SigningMethodHS256, e.key, claimsFor(valid()))), status: http.StatusOK,
			contains: alices,
		},
		scenario{
			name: "lower-case scheme", method: http.MethodGet, url: "/api/status",
			headers: map[string]string{"Authorization": "bearer " + e.alice.token}, status: http.StatusOK,
			contains: alices,
		},
	)
	runScenarios(t, e, scenarios)
}
