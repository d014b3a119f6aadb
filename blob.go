package juta

import (
	"context"
	"io"
	"time"
)

// BlobStore keeps media bytes per user, content-addressed by the SHA-256 of
// the plain bytes, encrypted at rest with a key of the user's own, in chunks
// sealed one by one (see SealBlobStream), so that a range is read by opening
// only the chunks it covers. The same file stored twice for one user is
// kept once; two users never share a copy (nor can one read the other's).
// Implementations: persistence (PostgreSQL, the default) and blob/s3 (an
// S3-compatible bucket, JUTA_BLOB_URL); both pass blob/blobtest's contract.
// Methods are safe for concurrent use and block on the store.
type BlobStore interface {
	// WriteBlob streams r to its end into uid's blobs, unless a blob with the
	// same SHA-256 is there already, and returns its checksum and size. The
	// file is never held whole in memory. EQUOTA when the user's blobs would
	// then exceed quota bytes (quota <= 0: no limit); ETOOLARGE when r holds
	// more than limit bytes (limit <= 0: the largest media) or more than the
	// quota alone. Either refusal, an error of r or a cancelled ctx leaves
	// nothing visible: a blob is there whole or not at all.
	WriteBlob(ctx context.Context, uid UserID, r io.Reader, limit, quota int64) (BlobInfo, error)
	// ReadBlob opens the part rng names of uid's blob with this SHA-256 and
	// counts the read for retention. The reader decrypts and authenticates
	// chunk by chunk as it goes: a stored file that was changed, truncated or
	// moved fails with an error, never with other bytes. ENOTFOUND when
	// there is no such blob; ERANGE (with the span's Size set) when rng
	// starts past its end. The caller closes the reader.
	ReadBlob(ctx context.Context, uid UserID, sum []byte, rng ByteRange) (io.ReadCloser, BlobSpan, error)
	// PruneBlobs deletes, across users, blobs not read since before and
	// returns how many went. Media stays downloadable from WhatsApp (for as
	// long as WhatsApp keeps it) and is cached again on the next read.
	PruneBlobs(ctx context.Context, before time.Time) (int64, error)
}

// BlobInfo is what a write stored.
type BlobInfo struct {
	SHA256 []byte
	Size   int64
}

// MediaLimits are WhatsApp's size limits per kind, checked before a file is
// sent (ETOOLARGE) and used to bound a download. Source: WhatsApp's help
// centre, "About sending media" (16 MB for photos, videos, audio and voice;
// 2 GB for documents); stickers are at most 500 kB (sticker guidelines).
var MediaLimits = map[MessageKind]int64{
	KindImage:    16 << 20,
	KindVideo:    16 << 20,
	KindAudio:    16 << 20,
	KindVoice:    16 << 20,
	KindSticker:  500 << 10,
	KindDocument: 2 << 30,
}

// MaxBlob bounds one blob: WhatsApp's largest media (documents).
var MaxBlob = MediaLimits[KindDocument]

// BlobWriteLimit is the most a BlobStore.WriteBlob of limit and quota may
// take in: limit (MaxBlob when <= 0 or above it), and never more than the
// whole quota.
func BlobWriteLimit(limit, quota int64) int64 {
	if limit <= 0 || limit > MaxBlob {
		limit = MaxBlob
	}
	if quota > 0 && quota < limit {
		return quota
	}
	return limit
}

// MediaFetcher downloads a message's file from WhatsApp through the
// session's client into the user's blob store, where every node reads it.
// The actors package implements it: the call goes to the session's actor
// wherever it runs, and the download runs off its mailbox through a
// temporary file, so that no file is ever held whole in memory nor sent
// between nodes. ESTATE when the session is not running; ENOTFOUND when
// WhatsApp no longer has the file; EQUOTA when the user's media quota has
// no room for it; EUNAVAILABLE when the runtime did not answer in time.
type MediaFetcher interface {
	CacheMedia(ctx context.Context, uid UserID, sid SessionID, k MessageKind, ref MediaRef, size int64) error
}
