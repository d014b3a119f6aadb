package juta

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
)

// BlobSealOverhead is what SealBlob adds to data: the GCM nonce and tag.
const BlobSealOverhead = 12 + 16

// SealBlob encrypts plain with AES-256-GCM under key (32 bytes), bound to
// its user and checksum (sum; nil for data that has none, such as a wrapped
// key): sealed data copied under another user's or checksum's name fails to
// open. The random 12-byte nonce comes first. Every blob store seals files
// this way, so a file reads the same whichever store keeps it.
func SealBlob(key, plain []byte, uid UserID, sum []byte) ([]byte, error) {
	g, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, g.NonceSize(), g.NonceSize()+len(plain)+g.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, err
	}
	return g.Seal(out, out, plain, blobAD(uid, sum)), nil
}

// OpenBlob decrypts what SealBlob sealed for uid and sum, in place: the
// plain data takes sealed's buffer, which the caller must own.
func OpenBlob(key, sealed []byte, uid UserID, sum []byte) ([]byte, error) {
	g, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	n := g.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed data too short")
	}
	return g.Open(sealed[n:n], sealed[:n], sealed[n:], blobAD(uid, sum))
}

func blobAD(uid UserID, sum []byte) []byte {
	ad := binary.BigEndian.AppendUint64([]byte("juta-blob:"), uint64(uid))
	return append(ad, sum...)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
