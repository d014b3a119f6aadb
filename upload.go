package juta

import (
	"context"
	"io"
	"time"
)

// Chunked uploads take a file larger than one request may carry (up to
// MediaLimits of its kind: 2 GB for a document) in parts of at most
// UploadChunkSize, each a request of its own, accepted only at the offset
// reached so far: a client whose connection drops asks for the offset and
// goes on from there. Each part is stored as it arrives (sealed with the
// user's blob key), so neither the server nor a proxy in front of it ever
// holds more than a part; the last part seals the whole file into the blob
// store.
const (
	// UploadChunkSize is the most one part carries: small enough for any
	// proxy's body limit and a mobile link's retry, large enough that a
	// 2 GB file is some 500 requests.
	UploadChunkSize = 4 << 20
	// UploadTTL is how long an upload may take from its start; after it the
	// parts are deleted.
	UploadTTL = 24 * time.Hour
)

// MediaTimeout is how long work on a file of size bytes may take that
// takes base for a small one: a second more per MiB (a slow uplink's pace,
// or a busy store's), so that a 2 GB document has some 35 minutes to be
// sealed or sent. It bounds the work; it is not what it usually takes.
func MediaTimeout(base time.Duration, size int64) time.Duration {
	return base + time.Duration(max(size, 0)/(1<<20)+1)*time.Second
}

// PendingUpload is a chunked upload: what the client declared when it
// began, and how far it got.
type PendingUpload struct {
	ID        string
	Session   SessionID
	FileName  string
	MIME      string
	Kind      MessageKind
	Size      int64
	SHA256    []byte // the declared checksum, nil when none was
	Received  int64  // the bytes stored so far: the offset of the next part
	ExpiresAt time.Time
	// Sum is the SHA-256 of the received bytes once Received == Size.
	Sum []byte
	// Result is the answer of the sealed file (JSON), nil until it is sealed.
	Result []byte
}

// Done says whether every byte has arrived.
func (u PendingUpload) Done() bool { return u.Received == u.Size }

// UploadStore keeps the parts of users' chunked uploads, sealed with the
// user's blob key, until the upload is sealed, abandoned or expired; it
// serves every node. Methods are safe for concurrent use and block on the
// store. ENOTFOUND for an upload that is not the user's or has expired.
type UploadStore interface {
	// CreateUpload records a new upload of u's declared file (ID and
	// ExpiresAt are set by the store). EQUOTA when the user's stored blobs
	// and parts and this file's size would pass quota (quota <= 0: none).
	CreateUpload(ctx context.Context, uid UserID, u PendingUpload, quota int64) (PendingUpload, error)
	// Upload is the upload id of uid.
	Upload(ctx context.Context, uid UserID, id string) (PendingUpload, error)
	// PutUploadPart stores data at off, which must be the upload's Received
	// (ECONFLICT otherwise, with the upload as it is), unless it repeats a
	// stored part byte for byte, which changes nothing and answers the upload
	// as it is. ETOOLARGE past the declared size (which the quota counted
	// when the upload began).
	PutUploadPart(ctx context.Context, uid UserID, id string, off int64, data []byte) (PendingUpload, error)
	// UploadParts reads the received bytes in order, one part in memory at
	// a time, decrypting and authenticating each. The caller closes it.
	UploadParts(ctx context.Context, uid UserID, id string) (io.ReadCloser, error)
	// FinishUpload deletes the parts (but the last, to tell a repeat of it)
	// and keeps result, the sealed file's answer, until the upload expires.
	FinishUpload(ctx context.Context, uid UserID, id string, result []byte) error
	// DeleteUpload abandons an upload and deletes its parts.
	DeleteUpload(ctx context.Context, uid UserID, id string) error
	// PruneUploads deletes, across users, uploads expired before now.
	PruneUploads(ctx context.Context, now time.Time) (int64, error)
}
