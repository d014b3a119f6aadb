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

// The leeway on exp is 5 s: a token that expired 3-4 s ago still works, one
// that expired 6-7 s ago does not. exp is whole seconds, so the instants are
// taken from the start of the current second to keep each case on its side.
func TestAccessTokenExpiryLeewayBoundary(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	keys, err := e.db.SigningKeys(context.Background(), e.clock.now())
	if err != nil || len(keys) != 1 {
		t.Fatalf("signing keys = %v, %v", keys, err)
	}
	for _, c := range []struct {
		ago  time.Duration
		want int
	}{
		{3 * time.Second, http.StatusOK},
		{6 * time.Second, http.StatusUnauthorized},
		{7 * time.Second, http.StatusUnauthorized},
		{4 * time.Second, http.StatusOK},
	} {
		sec := e.clock.now().Truncate(time.Second)
		tok := forgeKID(t, jwt.SigningMethodHS256, keys[0].Secret, keys[0].KID, jwt.MapClaims{"iss": auth.TokenIssuer,
			"sub": strconv.FormatInt(int64(e.alice.id), 10), "iat": sec.Add(-time.Hour).Unix(),
			"exp": sec.Add(-c.ago).Unix(), "jti": "leeway" + c.ago.String(), "fam": tokenFamily(t, e.alice.token)})
		// (now - exp) is in [ago, ago+1s): 3 s and 4 s stay inside 5 s,
		// 6 s and 7 s stay outside it.
		if c.ago == 4*time.Second && e.clock.now().Sub(sec) > 900*time.Millisecond {
			continue // too close to 5 s to say which side the request lands on
		}
		if got := e.do(t, http.MethodGet, "/api/status", bearerHeader(tok), "").status; got != c.want {
			t.Errorf("token that expired %v ago: status %d, want %d", c.ago, got, c.want)
		}
	}
}

// A rotation retires the old key at a set time. A node that loaded its keys
// before that time must refuse the old key once the time passes, although
// its key cache is not due for a reload yet: both a token it has verified
// and cached, and one it has never seen.
func TestRetiredKeyRefusedBeforeKeyringRefresh(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	ctx := context.Background()
	keys, err := e.db.SigningKeys(ctx, e.clock.now())
	if err != nil || len(keys) != 1 {
		t.Fatalf("signing keys = %v, %v", keys, err)
	}
	old := keys[0]
	sign := func(secret []byte, kid, jti string) string {
		now := e.clock.now()
		return forgeKID(t, jwt.SigningMethodHS256, secret, kid, jwt.MapClaims{"iss": auth.TokenIssuer,
			"sub": strconv.FormatInt(int64(e.alice.id), 10), "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": jti,
			"fam": tokenFamily(t, e.alice.token)})
	}
	status := func(tok string) int {
		return e.do(t, http.MethodGet, "/api/status", bearerHeader(tok), "").status
	}
	next, err := auth.NewSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	const grace = 30 * time.Second
	if err := e.db.AddSigningKey(ctx, next, e.clock.now(), grace); err != nil {
		t.Fatal(err)
	}
	// The new kid makes this node reload its keys: it now knows when the old
	// one retires, and keeps that copy for auth.KeyringMaxAge.
	e.clock.advance(auth.KeyringMissInterval)
	if got := status(sign(next.Secret, next.KID, "new")); got != http.StatusOK {
		t.Fatalf("token of the new key: %d", got)
	}
	cached := sign(old.Secret, old.KID, "cached")
	if got := status(cached); got != http.StatusOK {
		t.Fatalf("token of the old key within its grace: %d", got)
	}
	// Past the retirement, well inside auth.KeyringMaxAge since the reload.
	e.clock.advance(grace - auth.KeyringMissInterval + time.Second)
	if got := status(cached); got != http.StatusUnauthorized {
		t.Errorf("cached token of a key retired before the keys reload: %d, want 401", got)
	}
	if got := status(sign(old.Secret, old.KID, "unseen")); got != http.StatusUnauthorized {
		t.Errorf("new token of a key retired before the keys reload: %d, want 401", got)
	}
	if got := status(sign(next.Secret, next.KID, "new-again")); got != http.StatusOK {
		t.Errorf("token of the new key after the old one retired: %d", got)
	}
}
