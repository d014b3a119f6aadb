package api

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// forgeKID signs claims with method and key under the kid given ("" for none).
func forgeKID(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("forge token: %v", err)
	}
	return s
}

func TestJWTAttacks(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	keys, err := e.db.SigningKeys(context.Background(), e.clock.now())
	if err != nil || len(keys) != 1 {
		t.Fatalf("signing keys = %v, %v", keys, err)
	}
	key := keys[0]
	now := e.clock.now()
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": auth.TokenIssuer, "sub": strconv.FormatInt(int64(e.alice.id), 10),
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "j1", "fam": tokenFamily(t, e.alice.token)}
		if edit != nil {
			edit(c)
		}
		return c
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tampered := []byte(e.alice.token)
	tampered[strings.IndexByte(e.alice.token, '.')+3] ^= 1

	refused := map[string]string{
		"alg none":                   forgeKID(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, key.KID, claims(nil)),
		"RS256 under a known kid":    forgeKID(t, jwt.SigningMethodRS256, rsaKey, key.KID, claims(nil)),
		"HS512 with the right key":   forgeKID(t, jwt.SigningMethodHS512, key.Secret, key.KID, claims(nil)),
		"expired":                    forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() })),
		"unknown kid":                forgeKID(t, jwt.SigningMethodHS256, key.Secret, "no-such-key", claims(nil)),
		"no kid":                     forgeKID(t, jwt.SigningMethodHS256, key.Secret, "", claims(nil)),
		"the static kid":             forgeKID(t, jwt.SigningMethodHS256, key.Secret, auth.StaticKID, claims(nil)),
		"missing jti":                forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(func(c jwt.MapClaims) { delete(c, "jti") })),
		"missing iat":                forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(func(c jwt.MapClaims) { delete(c, "iat") })),
		"missing exp":                forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(func(c jwt.MapClaims) { delete(c, "exp") })),
		"missing sub":                forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(func(c jwt.MapClaims) { delete(c, "sub") })),
		"a deleted user":             forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(func(c jwt.MapClaims) { c["sub"] = "999999" })),
		"negative family":            forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(func(c jwt.MapClaims) { c["fam"] = -1 })),
		"tampered":                   string(tampered),
		"signed with another secret": forgeKID(t, jwt.SigningMethodHS256, []byte(strings.Repeat("k", 32)), key.KID, claims(nil)),
	}
	// Alice's session in the status answer shows whose token was accepted.
	e.mustSession(t, e.alice.id, "alice-jwt-check")
	var scenarios []scenario
	for name, tok := range refused {
		scenarios = append(scenarios, scenario{
			name: name, method: http.MethodGet, url: "/api/status", headers: bearerHeader(tok),
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED, respHeaders: map[string]string{"WWW-Authenticate": "Bearer"},
		})
	}
	scenarios = append(scenarios, scenario{
		name: "a correctly signed token works", method: http.MethodGet, url: "/api/status",
		headers: bearerHeader(forgeKID(t, jwt.SigningMethodHS256, key.Secret, key.KID, claims(nil))), status: http.StatusOK,
		contains: []string{`"sessions":[{`, `"name":"alice-jwt-check"`},
	})
	runScenarios(t, e.testEnv, scenarios)
}

func TestSigningKeyRotation(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(c *Config) { c.TokenTTL = 10 * time.Minute })
	old := e.alice.token
	oldKID := kidOf(t, old)

	// Another node (or jutad admin rotate-key) adds a key; its tokens verify
	// here at once, before this node's cache would have refreshed.
	next, err := auth.NewSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	grace := 10*time.Minute + time.Minute
	if err := e.db.AddSigningKey(context.Background(), next, e.clock.now(), grace); err != nil {
		t.Fatal(err)
	}
	now := e.clock.now()
	fresh := forgeKID(t, jwt.SigningMethodHS256, next.Secret, next.KID, jwt.MapClaims{"iss": auth.TokenIssuer,
		"sub": strconv.FormatInt(int64(e.alice.id), 10), "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "x",
		"fam": tokenFamily(t, e.alice.token)})
	e.clock.advance(auth.KeyringMissInterval)
	for name, tok := range map[string]string{"new key": fresh, "old key": old} {
		if res := e.do(t, http.MethodGet, "/api/status", bearerHeader(tok), ""); res.status != http.StatusOK {
			t.Fatalf("%s: %d %s", name, res.status, res.body)
		}
	}

	// Once the cache refreshes, the newest key signs.
	e.clock.advance(auth.KeyringMaxAge)
	if kid := kidOf(t, e.mustLogin(t, e.alice.phone, testPassword).Token); kid != next.KID || kid == oldKID {
		t.Fatalf("signing kid = %q, want the new %q", kid, next.KID)
	}

	// After the grace the old key retires, and its tokens with it.
	e.clock.advance(grace)
	long := forgeKID(t, jwt.SigningMethodHS256, e.mustOldSecret(t, oldKID), oldKID, jwt.MapClaims{"iss": auth.TokenIssuer,
		"sub": strconv.FormatInt(int64(e.alice.id), 10), "iat": e.clock.now().Unix(),
		"exp": e.clock.now().Add(time.Minute).Unix(), "jti": "y"})
	if res := e.do(t, http.MethodGet, "/api/status", bearerHeader(long), ""); res.status != http.StatusUnauthorized {
		t.Fatalf("retired key: %d", res.status)
	}
}

func (e *authEnv) mustOldSecret(t *testing.T, kid string) []byte {
	t.Helper()
	var secret []byte
	err := e.db.Pool().QueryRow(context.Background(), `SELECT secret FROM signing_keys WHERE kid = $1`, kid).Scan(&secret)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func kidOf(t *testing.T, raw string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}

func TestStaticKeyHasItsOwnKID(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	if kid := kidOf(t, e.alice.token); kid != auth.StaticKID {
		t.Fatalf("kid = %q", kid)
	}
}
