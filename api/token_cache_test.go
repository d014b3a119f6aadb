package api

import (
	"github.com/juta-app/juta/api/auth"

	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// A verified token is reused only while a full check would still pass it:
// not past its expiry, not once its key retired, and never for a tampered
// copy of it.
func TestTokenCacheNeverOutlivesTheChecks(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	keys, err := e.db.SigningKeys(context.Background(), e.clock.now())
	if err != nil || len(keys) != 1 {
		t.Fatalf("signing keys = %v, %v", keys, err)
	}
	sign := func(secret []byte, kid string, ttl time.Duration) string {
		now := e.clock.now()
		return forgeKID(t, jwt.SigningMethodHS256, secret, kid, jwt.MapClaims{"iss": auth.TokenIssuer,
			"sub": strconv.FormatInt(int64(e.alice.id), 10), "iat": now.Unix(), "exp": now.Add(ttl).Unix(), "jti": "c" + kid,
			"fam": tokenFamily(t, e.alice.token)})
	}
	status := func(tok string) int {
		return e.do(t, http.MethodGet, "/api/status", bearerHeader(tok), "").status
	}
	short := sign(keys[0].Secret, keys[0].KID, 20*time.Second)
	long := sign(keys[0].Secret, keys[0].KID, time.Hour)
	for _, tok := range []string{short, long, short, long} {
		if got := status(tok); got != http.StatusOK {
			t.Fatalf("valid token: %d", got)
		}
	}
	tampered := []byte(long)
	tampered[len(tampered)-2] ^= 1
	if got := status(string(tampered)); got != http.StatusUnauthorized {
		t.Fatalf("tampered copy of a cached token: %d", got)
	}

	e.clock.advance(20*time.Second + auth.TokenLeeway + time.Second)
	if got := status(short); got != http.StatusUnauthorized {
		t.Fatalf("cached token past its expiry: %d", got)
	}

	// A rotation retires the old key after a short grace; once this node has
	// loaded that (an unknown kid reloads the keys), the cached long token
	// stops working with its key, inside the cache's own reuse period.
	next, err := auth.NewSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddSigningKey(context.Background(), next, e.clock.now(), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(auth.KeyringMissInterval)
	if got := status(sign(next.Secret, next.KID, time.Hour)); got != http.StatusOK {
		t.Fatalf("token of the new key: %d", got)
	}
	e.clock.advance(5 * time.Second)
	if got := status(long); got != http.StatusUnauthorized {
		t.Fatalf("cached token of a retired key: %d", got)
	}
}
