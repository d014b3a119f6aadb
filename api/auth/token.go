package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/juta-app/juta"
)

const (
	// TokenIssuer is the "iss" of every access token.
	TokenIssuer = "juta"
	// TokenLeeway absorbs clock skew between nodes; kept small so an expired
	// token stops working promptly.
	TokenLeeway = 5 * time.Second
	// maxTokenLen bounds the work spent on a hostile token before any parsing.
	maxTokenLen = 4096
	// keyLookupTimeout bounds the store round trip of an unknown kid.
	keyLookupTimeout = 2 * time.Second
)

// accessClaims are the claims of an access token. Family names the refresh
// family of the login that issued it (0 when none), so that a password change
// can keep the caller's own login alive.
type accessClaims struct {
	jwt.RegisteredClaims
	Family int64 `json:"fam,omitempty"`
}

// accessToken is a verified access token.
type accessToken struct {
	uid     juta.UserID
	family  int64
	expires time.Time
}

// tokenCodec issues and verifies HS256 access tokens signed by the keyring's
// newest key and verified by whichever key its "kid" header names.
type tokenCodec struct {
	ring  *keyring
	ttl   time.Duration
	now   func() time.Time
	cache *tokenCache // nil: every token is verified in full
}

// issue returns a signed token for uid and its expiry.
func (t tokenCodec) issue(ctx context.Context, uid juta.UserID, family int64) (string, time.Time, error) {
	key, err := t.ring.signing(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	now := t.now()
	exp := now.Add(t.ttl)
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    TokenIssuer,
			Subject:   strconv.FormatInt(int64(uid), 10),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        newTokenID(),
		},
		Family: family,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = key.KID
	signed, err := tok.SignedString(key.Secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return signed, exp, nil
}

// parse verifies raw. Every failure is the same EUNAUTHORIZED, so callers
// learn nothing about why a token was refused.
func (t tokenCodec) parse(raw string) (accessToken, error) {
	if len(raw) > maxTokenLen {
		return accessToken{}, errBadToken(nil)
	}
	if t.cache == nil {
		tok, _, err := t.verify(raw)
		return tok, err
	}
	now := t.now()
	if e, ok := t.cache.get(raw, now); ok && t.ring.stillVerifies(e.kid) {
		return e.tok, nil
	}
	tok, claims, err := t.verify(raw)
	if err != nil {
		return accessToken{}, err
	}
	t.cache.put(raw, cachedToken{tok: tok, kid: claims.kid, expiresAt: claims.ExpiresAt.Time}, now)
	return tok, nil
}

// verifiedClaims are the claims of a token verify accepted, with its kid.
type verifiedClaims struct {
	accessClaims
	kid string
}

// verify checks raw's signature and claims in full.
func (t tokenCodec) verify(raw string) (accessToken, verifiedClaims, error) {
	var claims accessClaims
	parsed, err := jwt.ParseWithClaims(raw, &claims, t.keyFor,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(TokenIssuer),
		jwt.WithLeeway(TokenLeeway),
		jwt.WithTimeFunc(t.now),
		jwt.WithStrictDecoding(),
	)
	var none verifiedClaims
	if err != nil {
		return accessToken{}, none, errBadToken(err)
	}
	// WithIssuedAt only checks iat when present; we require it, and a jti.
	if claims.IssuedAt == nil || claims.ID == "" || len(claims.ID) > 64 || claims.Family < 0 {
		return accessToken{}, none, errBadToken(nil)
	}
	uid, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || uid <= 0 {
		return accessToken{}, none, errBadToken(err)
	}
	kid, _ := parsed.Header["kid"].(string)
	tok := accessToken{uid: juta.UserID(uid), family: claims.Family, expires: claims.ExpiresAt.Time}
	return tok, verifiedClaims{claims, kid}, nil
}

// keyFor picks the verification key named by the token's kid; a token without
// one, or naming a key no node knows, is refused.
func (t tokenCodec) keyFor(tok *jwt.Token) (any, error) {
	kid, _ := tok.Header["kid"].(string)
	if kid == "" || len(kid) > maxKIDLen {
		return nil, fmt.Errorf("token has no usable kid")
	}
	ctx, cancel := context.WithTimeout(context.Background(), keyLookupTimeout)
	defer cancel()
	secret, ok := t.ring.verifying(ctx, kid)
	if !ok {
		return nil, fmt.Errorf("unknown kid")
	}
	return secret, nil
}

func newTokenID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

func errBadToken(cause error) error {
	return &juta.Error{Code: juta.EUNAUTHORIZED, Message: "invalid or expired token", Err: cause}
}
