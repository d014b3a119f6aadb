package persistence

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// blobTouchAfter is how stale a blob's last-read time may get before a read
// refreshes it: retention counts in days, and a write (a WAL flush) on every
// read would halve the read rate.
const blobTouchAfter = time.Hour

// blobBatch is how many chunks a read fetches per query (2 MiB): few round
// trips, and no connection held while a slow client takes its time.
const blobBatch = 8

// storedBlob is a blob's row: a chunked file's head, or a whole-file
// sealing written before files were chunked.
type storedBlob struct {
	head, fileID, legacy, key []byte
}

// ReadBlob opens rng of uid's blob and marks it read when its last read is
// older than blobTouchAfter. The chunks are fetched as the reader goes, a
// few per short transaction of their own, with ctx: it must outlive the
// reading.
func (db *DB) ReadBlob(ctx context.Context, uid juta.UserID, sum []byte, rng juta.ByteRange) (io.ReadCloser, juta.BlobSpan, error) {
	if len(sum) != sha256.Size {
		return nil, juta.BlobSpan{}, juta.Errorf(juta.ENOTFOUND, "no such media")
	}
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return nil, juta.BlobSpan{}, dbError(err, "read blob")
	}
	var b storedBlob
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		b, err = loadBlob(ctx, tx, server, uid, sum)
		return err
	})
	if err != nil {
		return nil, juta.BlobSpan{}, dbError(err, "read blob")
	}
	if b.head == nil {
		return openLegacy(b, uid, sum, rng)
	}
	p, err := juta.PlanBlobRead(b.key, uid, sum, b.head, rng)
	if err != nil {
		return nil, p.Span, err
	}
	src := &pgChunks{ctx: ctx, db: db, uid: uid, fileID: b.fileID, next: p.First, last: p.Last}
	return juta.NewBlobReader(p.Opener, p.Span, src), p.Span, nil
}

// loadBlob reads a blob's row and the user's key, and refreshes a stale
// last-read time.
func loadBlob(ctx context.Context, tx pgx.Tx, server []byte, uid juta.UserID, sum []byte) (storedBlob, error) {
	var b storedBlob
	var stale bool
	err := tx.QueryRow(ctx, `SELECT head, file_id, CASE WHEN head IS NULL THEN data END, last_read_at < now() - $3::interval
		FROM blobs WHERE user_id = $1 AND sha256 = $2`, uid, sum, blobTouchAfter.String()).Scan(&b.head, &b.fileID, &b.legacy, &stale)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, notFound("no such media")
	}
	if err != nil {
		return b, err
	}
	if stale {
		if _, err := tx.Exec(ctx, `UPDATE blobs SET last_read_at = now() WHERE user_id = $1 AND sha256 = $2`, uid, sum); err != nil {
			return b, err
		}
	}
	b.key, err = userBlobKey(ctx, tx, server, uid, false)
	return b, err
}

// openLegacy reads rng of a file sealed whole.
func openLegacy(b storedBlob, uid juta.UserID, sum []byte, rng juta.ByteRange) (io.ReadCloser, juta.BlobSpan, error) {
	return juta.OpenLegacyBlob(b.key, b.legacy, uid, sum, rng)
}

// pgChunks fetches a file's sealed chunks next..last, blobBatch at a time.
type pgChunks struct {
	ctx        context.Context
	db         *DB
	uid        juta.UserID
	fileID     []byte
	next, last int64
	batch      [][]byte
}

func (c *pgChunks) NextChunk() ([]byte, error) {
	if len(c.batch) == 0 {
		if c.next > c.last {
			return nil, io.EOF
		}
		if err := c.fetch(); err != nil {
			return nil, err
		}
	}
	b := c.batch[0]
	c.batch = c.batch[1:]
	return b, nil
}

func (c *pgChunks) fetch() error {
	upto := min(c.next+blobBatch-1, c.last)
	var batch [][]byte
	err := c.db.userTx(c.ctx, c.uid, func(tx pgx.Tx) error {
		batch = batch[:0]
		rows, err := tx.Query(c.ctx, `SELECT idx, data FROM blob_chunks WHERE user_id = $1 AND file_id = $2
			AND idx BETWEEN $3 AND $4 ORDER BY idx`, c.uid, c.fileID, c.next, upto)
		if err != nil {
			return err
		}
		defer rows.Close()
		for want := c.next; rows.Next(); want++ {
			var idx int64
			var data []byte
			if err := rows.Scan(&idx, &data); err != nil {
				return err
			}
			if idx != want {
				return fmt.Errorf("blob chunk %d is missing", want)
			}
			batch = append(batch, data)
		}
		return rows.Err()
	})
	if err != nil {
		return dbError(err, "read blob")
	}
	if len(batch) == 0 {
		return fmt.Errorf("blob chunk %d is missing", c.next)
	}
	c.batch, c.next = batch, c.next+int64(len(batch))
	return nil
}

func (c *pgChunks) Close() error { return nil }

// PruneBlobs deletes blobs not read since before, across users (system work:
// it runs as the connecting role); their chunks go with them.
func (db *DB) PruneBlobs(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM blobs WHERE last_read_at < $1`, before)
	if err != nil {
		return 0, dbError(err, "prune blobs")
	}
	return tag.RowsAffected(), nil
}
