package persistence

import (
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/base64"
	"errors"
	"hash"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.UploadStore = (*DB)(nil)

// uploadCols are the columns scanUpload reads.
const uploadCols = `id, session_id, file_name, mime, kind, size, sha256, received, expires_at, hash_state, result`

func scanUpload(row pgx.Row) (juta.PendingUpload, error) {
	u, _, err := scanUploadState(row)
	return u, err
}

// scanUploadState reads an upload and the state of its running checksum.
func scanUploadState(row pgx.Row) (juta.PendingUpload, []byte, error) {
	var u juta.PendingUpload
	var state []byte
	err := row.Scan(&u.ID, &u.Session, &u.FileName, &u.MIME, &u.Kind, &u.Size, &u.SHA256, &u.Received,
		&u.ExpiresAt, &state, &u.Result)
	if err != nil {
		return u, nil, err
	}
	if u.Done() {
		h, err := uploadHash(state)
		if err != nil {
			return u, nil, err
		}
		u.Sum = h.Sum(nil)
	}
	return u, state, nil
}

// uploadHash resumes the running SHA-256 of an upload from its marshalled
// state (nil: a fresh one).
func uploadHash(state []byte) (hash.Hash, error) {
	h := sha256.New()
	if state == nil {
		return h, nil
	}
	return h, h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state)
}

func hashState(h hash.Hash) ([]byte, error) {
	return h.(encoding.BinaryMarshaler).MarshalBinary()
}

// CreateUpload records the upload with a random id. The declared size is
// counted against the quota from now on, with the user's blobs and the
// other unfinished uploads, under the user's key row lock (the lock blob
// writes take), so two uploads begun at once cannot both squeeze under it.
func (db *DB) CreateUpload(ctx context.Context, uid juta.UserID, u juta.PendingUpload, quota int64) (juta.PendingUpload, error) {
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return u, dbError(err, "create upload")
	}
	id, err := randomBytes(16)
	if err != nil {
		return u, err
	}
	u.ID = base64.RawURLEncoding.EncodeToString(id)
	state, err := hashState(sha256.New())
	if err != nil {
		return u, err
	}
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		if _, err := userBlobKey(ctx, tx, server, uid, true); err != nil {
			return err
		}
		if quota > 0 {
			if err := checkUploadQuota(ctx, tx, uid, u.Size, quota); err != nil {
				return err
			}
		}
		row := tx.QueryRow(ctx, `INSERT INTO uploads (user_id, id, session_id, file_name, mime, kind, size, sha256, hash_state, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + $10::interval) RETURNING `+uploadCols,
			uid, u.ID, u.Session, u.FileName, u.MIME, u.Kind, u.Size, u.SHA256, state, juta.UploadTTL.String())
		u, err = scanUpload(row)
		return err
	})
	return u, dbError(err, "create upload")
}

// checkUploadQuota refuses a new upload of size when the user's blobs and
// unfinished uploads would then pass quota.
func checkUploadQuota(ctx context.Context, tx pgx.Tx, uid juta.UserID, size, quota int64) error {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM blob_keys WHERE user_id = $1 FOR UPDATE`, uid); err != nil {
		return err
	}
	var used int64
	err := tx.QueryRow(ctx, `SELECT (SELECT coalesce(sum(size), 0) FROM blobs WHERE user_id = $1)
		+ (SELECT coalesce(sum(size), 0) FROM uploads WHERE user_id = $1 AND result IS NULL AND expires_at > now())`, uid).Scan(&used)
	if err != nil {
		return err
	}
	if used+size > quota {
		return juta.Errorf(juta.EQUOTA, "media storage quota of %d bytes reached", quota)
	}
	return nil
}

// Upload reads one upload of uid that has not expired.
func (db *DB) Upload(ctx context.Context, uid juta.UserID, id string) (juta.PendingUpload, error) {
	u, err := userRow(ctx, db, uid, scanUpload,
		`SELECT `+uploadCols+` FROM uploads WHERE user_id = $1 AND id = $2 AND expires_at > now()`, uid, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, juta.Errorf(juta.ENOTFOUND, "upload not found")
	}
	return u, dbError(err, "read upload")
}

// partAD binds a sealed part to its upload and offset: a part copied to
// another place fails to open.
func partAD(id string, off int64) []byte {
	return strconv.AppendInt([]byte("upload:"+id+":"), off, 10)
}

// PutUploadPart stores one part under the upload's row lock, so two
// requests for one offset cannot both be taken.
func (db *DB) PutUploadPart(ctx context.Context, uid juta.UserID, id string, off int64, data []byte) (juta.PendingUpload, error) {
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return juta.PendingUpload{}, dbError(err, "store upload part")
	}
	var u juta.PendingUpload
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		var state []byte
		u, state, err = lockUpload(ctx, tx, uid, id)
		if err != nil {
			return err
		}
		if off != u.Received {
			return samePart(ctx, tx, uid, u, off, data)
		}
		if u.Result != nil || off+int64(len(data)) > u.Size {
			return juta.Errorf(juta.ETOOLARGE, "the upload has %d bytes, not more", u.Size)
		}
		key, err := userBlobKey(ctx, tx, server, uid, false)
		if err != nil {
			return err
		}
		u, err = appendPart(ctx, tx, uid, u, state, key, data)
		return err
	})
	return u, dbError(err, "store upload part")
}

// lockUpload reads the upload and its hash state, locked for update.
func lockUpload(ctx context.Context, tx pgx.Tx, uid juta.UserID, id string) (juta.PendingUpload, []byte, error) {
	u, state, err := scanUploadState(tx.QueryRow(ctx, `SELECT `+uploadCols+` FROM uploads
		WHERE user_id = $1 AND id = $2 AND expires_at > now() FOR UPDATE`, uid, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, nil, juta.Errorf(juta.ENOTFOUND, "upload not found")
	}
	return u, state, err
}

// samePart accepts a part at another offset than the next only when it
// repeats a stored part exactly (a retry whose answer was lost): nil then,
// ECONFLICT otherwise.
func samePart(ctx context.Context, tx pgx.Tx, uid juta.UserID, u juta.PendingUpload, off int64, data []byte) error {
	var size int
	var sum []byte
	err := tx.QueryRow(ctx, `SELECT size, sha256 FROM upload_parts WHERE user_id = $1 AND upload_id = $2 AND off = $3`,
		uid, u.ID, off).Scan(&size, &sum)
	if err == nil && size == len(data) {
		got := sha256.Sum256(data)
		if string(got[:]) == string(sum) {
			return nil
		}
	}
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	return juta.Errorf(juta.ECONFLICT, "the upload is at offset %d: send the part that starts there", u.Received)
}

// appendPart seals data under key, stores it at the upload's offset and
// moves the offset and the running checksum past it.
func appendPart(ctx context.Context, tx pgx.Tx, uid juta.UserID, u juta.PendingUpload, state, key, data []byte) (juta.PendingUpload, error) {
	h, err := uploadHash(state)
	if err != nil {
		return u, err
	}
	h.Write(data)
	next, err := hashState(h)
	if err != nil {
		return u, err
	}
	sealed, err := juta.SealBlob(key, data, uid, partAD(u.ID, u.Received))
	if err != nil {
		return u, err
	}
	sum := sha256.Sum256(data)
	_, err = tx.Exec(ctx, `INSERT INTO upload_parts (user_id, upload_id, off, size, sha256, data) VALUES ($1, $2, $3, $4, $5, $6)`,
		uid, u.ID, u.Received, len(data), sum[:], sealed)
	if err != nil {
		return u, err
	}
	return scanUpload(tx.QueryRow(ctx, `UPDATE uploads SET received = received + $3, hash_state = $4
		WHERE user_id = $1 AND id = $2 RETURNING `+uploadCols, uid, u.ID, len(data), next))
}

// FinishUpload keeps the sealed file's answer and drops the parts but the
// last, which tells a repeat of the last part from other bytes.
func (db *DB) FinishUpload(ctx context.Context, uid juta.UserID, id string, result []byte) error {
	return dbError(db.userTx(ctx, uid, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE uploads SET result = $3 WHERE user_id = $1 AND id = $2 AND received = size`, uid, id, result)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return juta.Errorf(juta.ENOTFOUND, "upload not found")
		}
		_, err = tx.Exec(ctx, `DELETE FROM upload_parts p USING uploads u
			WHERE p.user_id = $1 AND p.upload_id = $2 AND u.user_id = p.user_id AND u.id = p.upload_id AND p.off + p.size < u.size`, uid, id)
		return err
	}), "finish upload")
}

// DeleteUpload abandons the upload; its parts go with it.
func (db *DB) DeleteUpload(ctx context.Context, uid juta.UserID, id string) error {
	tag, err := db.userExec(ctx, uid, `DELETE FROM uploads WHERE user_id = $1 AND id = $2 AND expires_at > now()`, uid, id)
	if err != nil {
		return dbError(err, "delete upload")
	}
	if tag.RowsAffected() == 0 {
		return juta.Errorf(juta.ENOTFOUND, "upload not found")
	}
	return nil
}

// PruneUploads deletes expired uploads across users (system work: it runs
// as the connecting role); their parts go with them.
func (db *DB) PruneUploads(ctx context.Context, now time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM uploads WHERE expires_at < $1`, now)
	if err != nil {
		return 0, dbError(err, "prune uploads")
	}
	return tag.RowsAffected(), nil
}
