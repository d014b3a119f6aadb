package s3

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"

	"github.com/juta-app/juta"
)

// overhead is what sealing adds to a file: the GCM nonce and tag.
const overhead = 12 + 16

// userKey derives uid's AES-256 key from the server key (HKDF-SHA256, RFC
// 5869). Derived rather than stored: the key of a user cannot be lost or
// raced into two versions by nodes writing at once, and the bucket alone
// holds nothing that opens a file.
func userKey(server []byte, uid juta.UserID) ([]byte, error) {
	info := binary.BigEndian.AppendUint64([]byte("juta-blob-user:"), uint64(uid))
	return hkdf.Key(sha256.New, server, nil, string(info), 32)
}

// userAD binds a sealed file to its user and checksum: an object copied to
// another user's or another checksum's name fails to open.
func userAD(uid juta.UserID, sum []byte) []byte {
	ad := binary.BigEndian.AppendUint64([]byte("juta-blob:"), uint64(uid))
	return append(ad, sum...)
}

// seal encrypts plain with AES-256-GCM; the random nonce comes first.
func seal(key, plain, ad []byte) ([]byte, error) {
	g, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, g.NonceSize(), g.NonceSize()+len(plain)+g.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, err
	}
	return g.Seal(out, out, plain, ad), nil
}

func open(key, sealed, ad []byte) ([]byte, error) {
	g, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize() {
		return nil, errors.New("sealed data too short")
	}
	// In place: the plain file takes the buffer it was read into.
	n := g.NonceSize()
	return g.Open(sealed[n:n], sealed[:n], sealed[n:], ad)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
