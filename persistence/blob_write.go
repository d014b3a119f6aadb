package persistence

import (
	"context"
	"errors"
	"io"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// errBlobKept ends a write whose file the user has already: its chunks roll
// back and the stored copy stays.
var errBlobKept = errors.New("blob kept already")

// WriteBlob streams r into uid's blobs in one transaction: each chunk is a
// row as soon as it is sealed, so memory holds a chunk or two whatever the
// size, and the blob's row, written last, is what makes the file visible;
// a failure anywhere rolls all of it back. The quota is checked before the
// stream (bounding it) and again, with the user's key row locked, before the
// blob's row is written, so two writes at once cannot both squeeze under it.
func (db *DB) WriteBlob(ctx context.Context, uid juta.UserID, r io.Reader, limit, quota int64) (juta.BlobInfo, error) {
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return juta.BlobInfo{}, dbError(err, "store blob")
	}
	var out juta.BlobInfo
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		key, err := userBlobKey(ctx, tx, server, uid, true)
		if err != nil {
			return err
		}
		used, _, err := blobUsage(ctx, tx, uid, nil)
		if err != nil {
			return err
		}
		// Past the quota, the rest is read (not stored) to tell a file too
		// large for any quota from one too large for what is left of it.
		var size int64
		sb, err := juta.SealBlobStream(key, uid, r, juta.BlobWriteLimit(limit, quota), func(id [16]byte, i int64, sealed []byte) error {
			if size += int64(len(sealed) - juta.BlobChunkOverhead); quota > 0 && used+size > quota {
				return nil
			}
			_, err := tx.Exec(ctx, `INSERT INTO blob_chunks (user_id, file_id, idx, data) VALUES ($1, $2, $3, $4)`,
				uid, id[:], i, sealed)
			return err
		})
		if err != nil {
			return err
		}
		out = sb.BlobInfo
		return insertBlob(ctx, tx, uid, sb, quota)
	})
	if errors.Is(err, errBlobKept) {
		return out, nil
	}
	if err != nil {
		return juta.BlobInfo{}, dbError(err, "store blob")
	}
	return out, nil
}

// insertBlob writes the row that makes a streamed file visible, unless the
// user has the file already (errBlobKept) or it would pass the quota.
func insertBlob(ctx context.Context, tx pgx.Tx, uid juta.UserID, sb juta.SealedBlob, quota int64) error {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM blob_keys WHERE user_id = $1 FOR UPDATE`, uid); err != nil {
		return err
	}
	used, have, err := blobUsage(ctx, tx, uid, sb.SHA256)
	if err != nil {
		return err
	}
	if have {
		return errBlobKept
	}
	if quota > 0 && used+sb.Size > quota {
		return juta.Errorf(juta.EQUOTA, "media storage quota of %d bytes reached", quota)
	}
	_, err = tx.Exec(ctx, `INSERT INTO blobs (user_id, sha256, size, file_id, head) VALUES ($1, $2, $3, $4, $5)`,
		uid, sb.SHA256, sb.Size, sb.FileID[:], sb.Head)
	return err
}

// blobUsage sums the plain sizes of uid's blobs and says whether one has
// the checksum sum.
func blobUsage(ctx context.Context, tx pgx.Tx, uid juta.UserID, sum []byte) (used int64, have bool, err error) {
	err = tx.QueryRow(ctx, `SELECT coalesce(sum(size), 0), coalesce(bool_or(sha256 = $2), false)
		FROM blobs WHERE user_id = $1`, uid, sum).Scan(&used, &have)
	return used, have, err
}
