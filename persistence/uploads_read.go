package persistence

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// UploadParts reads the upload's parts in order, one query and one part in
// memory at a time, so that sealing a 2 GB file costs a part of memory.
func (db *DB) UploadParts(ctx context.Context, uid juta.UserID, id string) (io.ReadCloser, error) {
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return nil, dbError(err, "read upload")
	}
	var key []byte
	var u juta.PendingUpload
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		u, err = scanUpload(tx.QueryRow(ctx, `SELECT `+uploadCols+` FROM uploads
			WHERE user_id = $1 AND id = $2 AND expires_at > now()`, uid, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return juta.Errorf(juta.ENOTFOUND, "upload not found")
		}
		if err != nil {
			return err
		}
		key, err = userBlobKey(ctx, tx, server, uid, false)
		return err
	})
	if err != nil {
		return nil, dbError(err, "read upload")
	}
	return &partReader{ctx: ctx, db: db, uid: uid, id: id, key: key, end: u.Received}, nil
}

// partReader reads an upload's parts from off to end.
type partReader struct {
	ctx context.Context
	db  *DB
	uid juta.UserID
	id  string
	key []byte
	off int64
	end int64
	buf []byte // the unread rest of the current part
}

func (r *partReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.off >= r.end {
			return 0, io.EOF
		}
		if err := r.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// next reads, opens and checks the part at off.
func (r *partReader) next() error {
	sealed, err := userRow(r.ctx, r.db, r.uid, func(row pgx.Row) ([]byte, error) {
		var b []byte
		return b, row.Scan(&b)
	}, `SELECT data FROM upload_parts WHERE user_id = $1 AND upload_id = $2 AND off = $3`, r.uid, r.id, r.off)
	if err != nil {
		return dbError(err, fmt.Sprintf("read upload part at %d", r.off))
	}
	plain, err := juta.OpenBlob(r.key, sealed, r.uid, partAD(r.id, r.off))
	if err != nil || len(plain) == 0 {
		return fmt.Errorf("open upload part at %d: %w", r.off, errors.Join(err, errors.New("part is damaged")))
	}
	r.buf, r.off = plain, r.off+int64(len(plain))
	return nil
}

func (r *partReader) Close() error { r.buf = nil; return nil }
