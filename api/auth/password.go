package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/juta-app/juta"
)

// Password lengths, counted in characters.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// argonParams are argon2id's cost parameters. They are stored in each hash, so
// raising them later only affects new hashes.
type argonParams struct {
	time    uint32
	memory  uint32 // KiB
	threads uint8
	keyLen  uint32
	saltLen uint32
}

// defaultArgon follows OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane).
var defaultArgon = argonParams{time: 2, memory: 19 * 1024, threads: 1, keyLen: 32, saltLen: 16}

// CheckPassword enforces the length policy (EINVALID).
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen || n > MaxPasswordLen {
		return juta.Errorf(juta.EINVALID, "password must be %d to %d characters", MinPasswordLen, MaxPasswordLen)
	}
	return nil
}

// HashPassword checks the password policy (EINVALID) and returns the
// argon2id hash to store, for the API and the operator commands alike.
func HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	return hashPassword(pw, defaultArgon)
}

// hashPassword returns pw's argon2id hash in the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash, unpadded base64).
func hashPassword(pw string, p argonParams) (string, error) {
	salt := make([]byte, p.saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC-encoded hash, comparing in
// constant time. An error means the stored hash itself is unusable.
func VerifyPassword(pw, encoded string) (bool, error) {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

var errBadHash = errors.New("malformed password hash")

// decodeHash parses a PHC argon2id string. Its bounds keep a corrupted row from
// turning one login into a memory or CPU bomb.
func decodeHash(encoded string) (argonParams, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return argonParams{}, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return argonParams{}, nil, nil, errBadHash
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return argonParams{}, nil, nil, errBadHash
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return argonParams{}, nil, nil, errBadHash
	}
	p.saltLen, p.keyLen = uint32(len(salt)), uint32(len(key))
	if p.time < 1 || p.time > 16 || p.memory < 8 || p.memory > 1<<20 || p.threads < 1 ||
		p.saltLen < 8 || p.keyLen < 16 || p.keyLen > 64 {
		return argonParams{}, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// DummyHash is verified against when a login names an unknown phone, so that
// such a login costs as much as a wrong password and timing reveals nothing.
var DummyHash = sync.OnceValue(func() string {
	h, err := hashPassword("not a password of anyone", defaultArgon)
	if err != nil {
		panic(err) // crypto/rand failing leaves nothing sensible to do
	}
	return h
})
