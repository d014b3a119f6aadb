package persistence

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.BlobStore = (*DB)(nil)

// blobSecret names the server key (in the secrets table) that wraps every
// user's blob key. Losing it loses the cached media, not the messages: media
// is downloaded from WhatsApp again.
const blobSecret = "blob-key-v1"

// maxBlob bounds one blob: WhatsApp's largest media (documents).
var maxBlob = juta.MediaLimits[juta.KindDocument]

type blobKeyCache struct {
	mu  sync.Mutex
	key []byte
}

// serverBlobKey loads (or creates, once for the deployment) the wrapping key.
func (db *DB) serverBlobKey(ctx context.Context) ([]byte, error) {
	c := &db.blobKey
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != nil {
		return c.key, nil
	}
	k, err := db.Secret(ctx, blobSecret, func() ([]byte, error) { return randomBytes(32) })
	if err != nil {
		return nil, err
	}
	if len(k) != 32 {
		return nil, fmt.Errorf("secret %s has %d bytes, want 32", blobSecret, len(k))
	}
	c.key = k
	return k, nil
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := rand.Read(b)
	return b, err
}

// userBlobKey returns uid's key, unwrapped with server, creating it on first
// use. It runs in the user's transaction; a concurrent creation keeps the
// first key. The server key is loaded before the transaction begins: loading
// it inside would need a second connection while holding one.
func userBlobKey(ctx context.Context, tx pgx.Tx, server []byte, uid juta.UserID, create bool) ([]byte, error) {
	var wrapped []byte
	err := tx.QueryRow(ctx, `SELECT wrapped FROM blob_keys WHERE user_id = $1`, uid).Scan(&wrapped)
	if errors.Is(err, pgx.ErrNoRows) && create {
		fresh, err := randomBytes(32)
		if err != nil {
			return nil, err
		}
		w, err := juta.SealBlob(server, fresh, uid, nil)
		if err != nil {
			return nil, err
		}
		err = tx.QueryRow(ctx, `INSERT INTO blob_keys (user_id, wrapped) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET user_id = excluded.user_id RETURNING wrapped`, uid, w).Scan(&wrapped)
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	key, err := juta.OpenBlob(server, wrapped, uid, nil)
	if err != nil {
		return nil, fmt.Errorf("unwrap blob key of user %d: %w", uid, err)
	}
	return key, nil
}

// PutBlob stores data for uid under its SHA-256 unless it is there already.
// The quota check and the insert share the transaction, with the user's key
// row locked, so two uploads cannot both squeeze under the limit.
func (db *DB) PutBlob(ctx context.Context, uid juta.UserID, data []byte, quota int64) ([]byte, error) {
	size := int64(len(data))
	if size > maxBlob || (quota > 0 && size > quota) {
		return nil, juta.Errorf(juta.ETOOLARGE, "the file exceeds the largest media allowed")
	}
	sum := sha256.Sum256(data)
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return nil, dbError(err, "store blob")
	}
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		key, err := userBlobKey(ctx, tx, server, uid, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM blob_keys WHERE user_id = $1 FOR UPDATE`, uid); err != nil {
			return err
		}
		var used int64
		var have bool
		err = tx.QueryRow(ctx, `SELECT coalesce(sum(size), 0), coalesce(bool_or(sha256 = $2), false)
			FROM blobs WHERE user_id = $1`, uid, sum[:]).Scan(&used, &have)
		if err != nil || have {
			return err
		}
		if quota > 0 && used+size > quota {
			return juta.Errorf(juta.EQUOTA, "media storage quota of %d bytes reached", quota)
		}
		sealed, err := juta.SealBlob(key, data, uid, sum[:])
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO blobs (user_id, sha256, size, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, sha256) DO NOTHING`, uid, sum[:], size, sealed)
		return err
	})
	if err != nil {
		return nil, dbError(err, "store blob")
	}
	return sum[:], nil
}

// blobTouchAfter is how stale a blob's last-read time may get before a read
// refreshes it: retention counts in days, and a write (a WAL flush) on every
// read would halve the read rate.
const blobTouchAfter = time.Hour

// Blob returns uid's blob with this checksum, decrypted, and marks it read
// when its last read is older than blobTouchAfter.
func (db *DB) Blob(ctx context.Context, uid juta.UserID, sum []byte) ([]byte, error) {
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return nil, dbError(err, "read blob")
	}
	var plain []byte
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		var sealed []byte
		var stale bool
		err := tx.QueryRow(ctx, `SELECT data, last_read_at < now() - $3::interval FROM blobs
			WHERE user_id = $1 AND sha256 = $2`, uid, sum, blobTouchAfter.String()).Scan(&sealed, &stale)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("no such media")
		}
		if err != nil {
			return err
		}
		if stale {
			if _, err := tx.Exec(ctx, `UPDATE blobs SET last_read_at = now() WHERE user_id = $1 AND sha256 = $2`, uid, sum); err != nil {
				return err
			}
		}
		key, err := userBlobKey(ctx, tx, server, uid, false)
		if err != nil {
			return err
		}
		plain, err = juta.OpenBlob(key, sealed, uid, sum)
		if err != nil {
			return fmt.Errorf("open blob: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, dbError(err, "read blob")
	}
	return plain, nil
}

// PruneBlobs deletes blobs not read since before, across users (system work:
// it runs as the connecting role).
func (db *DB) PruneBlobs(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM blobs WHERE last_read_at < $1`, before)
	if err != nil {
		return 0, dbError(err, "prune blobs")
	}
	return tag.RowsAffected(), nil
}
