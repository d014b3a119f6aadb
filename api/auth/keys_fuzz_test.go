package auth

import (
	"strings"
	"testing"
)

// Seeds live in testdata/fuzz/<FuzzName>/ as well.

func FuzzParseAPIKey(f *testing.F) {
	valid, _, err := NewAPIKey()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{valid, valid[:len(valid)-1], valid + "A", "juta_", "", strings.ToUpper(valid),
		APIKeyPrefix + strings.Repeat("_", APIKeyLen-len(APIKeyPrefix)), APIKeyPrefix + strings.Repeat("=", 43)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		hash, ok := parseAPIKey(raw)
		if !ok {
			return
		}
		if len(hash) != 32 || len(raw) != APIKeyLen || !strings.HasPrefix(raw, APIKeyPrefix) {
			t.Fatalf("parseAPIKey(%q) accepted a malformed key", raw)
		}
		// Exactly one spelling of each secret is accepted.
		again, _ := parseAPIKey(raw)
		if string(again) != string(hash) {
			t.Fatal("hash is not stable")
		}
	})
}

func FuzzParseRefreshToken(f *testing.F) {
	valid, _, err := NewRefreshToken()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{valid, valid[:len(valid)-1], valid + "=", "", "not-a-token", strings.Repeat("/", 43)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		hash, err := ParseRefreshToken(raw)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if len(hash) != 32 || len(raw) != 43 {
			t.Fatalf("ParseRefreshToken(%q) accepted a malformed token", raw)
		}
	})
}
