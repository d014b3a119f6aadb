package s3

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"

	"github.com/juta-app/juta"
)

// overhead is what sealing adds to a file.
const overhead = juta.BlobSealOverhead

// userKey derives uid's AES-256 key from the server key (HKDF-SHA256, RFC
// 5869). Derived rather than stored: the key of a user cannot be lost or
// raced into two versions by nodes writing at once, and the bucket alone
// holds nothing that opens a file.
func userKey(server []byte, uid juta.UserID) ([]byte, error) {
	info := binary.BigEndian.AppendUint64([]byte("juta-blob-user:"), uint64(uid))
	return hkdf.Key(sha256.New, server, nil, string(info), 32)
}
