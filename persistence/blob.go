package persistence

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.BlobStore = (*DB)(nil)

// blobSecret names the server key (in the secrets table) that wraps every
// user's blob key. Losing it loses the cached media, not the messages: media
// is downloaded from WhatsApp again.
const blobSecret = "blob-key-v1"

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
