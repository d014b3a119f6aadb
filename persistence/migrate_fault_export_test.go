package persistence

import (
	"context"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
)

// MigrateFSForTest applies the migrations of fsys as Migrate applies ours.
func (db *DB) MigrateFSForTest(ctx context.Context, fsys fs.FS) error {
	all, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	return db.withLockedConn(ctx, func(ctx context.Context, conn *pgxpool.Conn) error {
		return applyMigrations(ctx, db.log, conn, all)
	})
}
