package juta

import (
	"context"
	"time"
)

// BlobStore keeps media bytes per user, content-addressed by the SHA-256 of
// the plain bytes, encrypted at rest with a key of the user's own. The same
// file stored twice for one user is kept once; two users never share a copy
// (nor can one read the other's). Implementations: persistence (PostgreSQL,
// the default) and blob/s3 (an S3-compatible bucket, JUTA_BLOB_URL); both
// pass blob/blobtest's contract. Methods are safe for concurrent use and block on the store.
type BlobStore interface {
	// PutBlob stores data for uid unless a blob with the same SHA-256 is
	// there already, and returns that checksum. EQUOTA when the user's blobs
	// would then exceed quota bytes (quota <= 0: no limit); ETOOLARGE when
	// data alone does.
	PutBlob(ctx context.Context, uid UserID, data []byte, quota int64) (sha256 []byte, err error)
	// Blob returns uid's blob with this SHA-256, decrypted, and counts the
	// read for retention. ENOTFOUND when there is none.
	Blob(ctx context.Context, uid UserID, sha256 []byte) ([]byte, error)
	// PruneBlobs deletes, across users, blobs not read since before and
	// returns how many went. Media stays downloadable from WhatsApp (for as
	// long as WhatsApp keeps it) and is cached again on the next read.
	PruneBlobs(ctx context.Context, before time.Time) (int64, error)
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

// MediaFetcher downloads a message's file from WhatsApp through the
// session's client. The actors package implements it: the call goes to the
// session's actor wherever it runs and the download runs off its mailbox.
// ESTATE when the session is not running; ENOTFOUND when WhatsApp no longer
// has the file; EUNAVAILABLE when the runtime did not answer in time.
type MediaFetcher interface {
	FetchMedia(ctx context.Context, uid UserID, sid SessionID, k MessageKind, ref MediaRef, size int64) ([]byte, error)
}
