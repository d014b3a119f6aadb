package persistence

import (
	"context"
	"crypto/sha256"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// The row-level security tests act as a user through the very helpers the
// stores use.

func (db *DB) UserTxForTest(ctx context.Context, uid juta.UserID, fn func(pgx.Tx) error) error {
	return db.userTx(ctx, uid, fn)
}

func (db *DB) UserBatchForTest(ctx context.Context, uid juta.UserID, queue func(*pgx.Batch)) error {
	return db.userBatch(ctx, uid, queue)
}

// WithoutRLSForTest returns a handle on the same pool whose user
// transactions keep the connecting role, which bypasses row-level security:
// what such a handle's queries return is what their user_id filters alone
// let through. It shares db's pool and writer; close db, never the copy.
func (db *DB) WithoutRLSForTest() *DB {
	return &DB{pool: db.pool, ingest: db.ingest, setUser: `SELECT set_config('juta.user_id', $1, true)`}
}

// SealLegacyBlobForTest seals data whole under uid's key, as blobs were
// stored before they were chunked.
func (db *DB) SealLegacyBlobForTest(ctx context.Context, uid juta.UserID, data []byte) ([]byte, error) {
	server, err := db.serverBlobKey(ctx)
	if err != nil {
		return nil, err
	}
	var sealed []byte
	err = db.userTx(ctx, uid, func(tx pgx.Tx) error {
		key, err := userBlobKey(ctx, tx, server, uid, true)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		sealed, err = juta.SealBlob(key, data, uid, sum[:])
		return err
	})
	return sealed, err
}
