package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/juta-app/juta"
)

// The secrets handed to clients: API keys and refresh tokens, random bytes
// of which only a SHA-256 hash is stored.

const secretLen = 32

// NewRefreshToken returns a token for the client and the hash to store.
func NewRefreshToken() (string, []byte, error) {
	b := make([]byte, secretLen)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("refresh token: %w", err)
	}
	h := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(b), h[:], nil
}

// ParseRefreshToken checks the shape of a client's token and returns the hash
// to look up. Any malformed token is the same 401 as an unknown one.
func ParseRefreshToken(raw string) ([]byte, error) {
	if len(raw) != base64.RawURLEncoding.EncodedLen(secretLen) {
		return nil, ErrBadRefresh()
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(raw)
	if err != nil || len(b) != secretLen {
		return nil, ErrBadRefresh()
	}
	h := sha256.Sum256(b)
	return h[:], nil
}

// ErrBadRefresh is the one answer to any refresh token that is not live.
func ErrBadRefresh() error {
	return juta.Errorf(juta.EUNAUTHORIZED, "invalid or expired refresh token")
}

const (
	// APIKeyPrefix marks our keys, so that a leaked one is recognisable (and
	// scanners can find it) and a bearer value is told apart from a JWT.
	APIKeyPrefix = "juta_"
	// APIKeyShownLen is how much of a key is kept in clear to tell keys apart.
	APIKeyShownLen = len(APIKeyPrefix) + 6
)

var APIKeyLen = len(APIKeyPrefix) + base64.RawURLEncoding.EncodedLen(secretLen)

// NewAPIKey returns a key for the client and the hash to store.
func NewAPIKey() (string, []byte, error) {
	b := make([]byte, secretLen)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("api key: %w", err)
	}
	h := sha256.Sum256(b)
	return APIKeyPrefix + base64.RawURLEncoding.EncodeToString(b), h[:], nil
}

// parseAPIKey checks a presented key's shape and returns the hash to look up.
func parseAPIKey(raw string) ([]byte, bool) {
	if len(raw) != APIKeyLen || !strings.HasPrefix(raw, APIKeyPrefix) {
		return nil, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(raw[len(APIKeyPrefix):])
	if err != nil || len(b) != secretLen {
		return nil, false
	}
	h := sha256.Sum256(b)
	return h[:], true
}
