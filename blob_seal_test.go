package juta

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// A sealed file opens only for its own user and checksum, and sealing adds
// exactly BlobSealOverhead bytes.
func TestSealBlobBindsUserAndChecksum(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	plain := []byte("slip: dah bayar RM120")
	sum := sha256.Sum256(plain)
	sealed, err := SealBlob(key, plain, 42, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	if len(sealed) != len(plain)+BlobSealOverhead {
		t.Fatalf("sealed %d bytes for %d", len(sealed), len(plain))
	}
	other := sha256.Sum256([]byte("another file"))
	for name, try := range map[string]func([]byte) ([]byte, error){
		"another user":     func(b []byte) ([]byte, error) { return OpenBlob(key, b, 43, sum[:]) },
		"another checksum": func(b []byte) ([]byte, error) { return OpenBlob(key, b, 42, other[:]) },
		"no checksum":      func(b []byte) ([]byte, error) { return OpenBlob(key, b, 42, nil) },
		"too short":        func(b []byte) ([]byte, error) { return OpenBlob(key, b[:5], 42, sum[:]) },
	} {
		if _, err := try(bytes.Clone(sealed)); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	got, err := OpenBlob(key, bytes.Clone(sealed), 42, sum[:])
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open = %q, %v", got, err)
	}
}
