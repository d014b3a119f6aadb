package persistence

import (
	"context"

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
