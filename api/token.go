package api

import (
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/juta-app/juta"
)

const (
	tokenIssuer = "juta"
	// tokenLeeway absorbs clock skew between nodes; kept small so an expired
	// token stops working promptly.
	tokenLeeway = 5 * time.Second
	// maxTokenLen bounds the work spent on a hostile token before any parsing.
	maxTokenLen = 4096
)

// tokenCodec issues and verifies HS256 access tokens.
type tokenCodec struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// issue returns a signed token for uid and its expiry.
func (t tokenCodec) issue(uid juta.UserID) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	claims := jwt.RegisteredClaims{
		Issuer:    tokenIssuer,
		Subject:   strconv.FormatInt(int64(uid), 10),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return signed, exp, nil
}

// parse verifies raw and returns its subject. Every failure is the same
// EUNAUTHORIZED, so callers learn nothing about why a token was refused.
func (t tokenCodec) parse(raw string) (juta.UserID, error) {
	if len(raw) > maxTokenLen {
		return 0, errBadToken(nil)
	}
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(raw, &claims,
		func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithLeeway(tokenLeeway),
		jwt.WithTimeFunc(t.now),
		jwt.WithStrictDecoding(),
	)
	if err != nil {
		return 0, errBadToken(err)
	}
	// WithIssuedAt only checks iat when present; we require it.
	if claims.IssuedAt == nil {
		return 0, errBadToken(nil)
	}
	uid, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || uid <= 0 {
		return 0, errBadToken(err)
	}
	return juta.UserID(uid), nil
}

func errBadToken(cause error) error {
	return &juta.Error{Code: juta.EUNAUTHORIZED, Message: "invalid or expired token", Err: cause}
}
