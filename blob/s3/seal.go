package s3

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"

	"github.com/juta-app/juta"
)

// trailerMagic ends every chunked object: the last bytes of an object sealed
// whole (before chunking) are a GCM tag, which matches it with odds of 2^-64,
// and a wrong guess fails to authenticate rather than reading other bytes.
const trailerMagic = "juta-c1\n"

// trailerSize is the sealed head and the magic at the end of an object.
const trailerSize = juta.BlobHeadSize + len(trailerMagic)

// plainSize is the file size a chunked object of sealed bytes holds.
func plainSize(sealed int64) int64 {
	x := sealed - int64(trailerSize)
	n := (x + juta.BlobChunkSize + juta.BlobChunkOverhead - 1) / (juta.BlobChunkSize + juta.BlobChunkOverhead)
	return max(x-n*juta.BlobChunkOverhead, 0)
}

// userKey derives uid's AES-256 key from the server key (HKDF-SHA256, RFC
// 5869). Derived rather than stored: the key of a user cannot be lost or
// raced into two versions by nodes writing at once, and the bucket alone
// holds nothing that opens a file.
func userKey(server []byte, uid juta.UserID) ([]byte, error) {
	info := binary.BigEndian.AppendUint64([]byte("juta-blob-user:"), uint64(uid))
	return hkdf.Key(sha256.New, server, nil, string(info), 32)
}
