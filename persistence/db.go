// Package persistence implements Juta's stores on PostgreSQL through pgx v5:
// users, WhatsApp sessions, messages (group-committed), the per-user event log
// and node secrets, plus the schema migrations.
//
// Exported methods own their transaction; unexported helpers take a pgx.Tx.
// Every query on user data filters by user_id, so another user's object is
// ENOTFOUND; behind that filter, a method acting for one user runs under
// row-level security as that user (rls.go), so a query that forgets its
// filter finds nothing.
package persistence

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/juta-app/juta"
)

// Compile-time checks that DB implements every store of the domain.
var (
	_ juta.UserStore    = (*DB)(nil)
	_ juta.SessionStore = (*DB)(nil)
	_ juta.MessageStore = (*DB)(nil)
	_ juta.EventLog     = (*DB)(nil)
	_ juta.SecretStore  = (*DB)(nil)
)

// DB is the database handle: a connection pool and the message writer.
type DB struct {
	pool      *pgxpool.Pool
	ingest    *ingester
	closeOnce sync.Once
	// setUser is the statement that makes a transaction act for a user:
	// setUserSQL, except in the tests that prove the query filters alone.
	setUser string
	blobKey blobKeyCache // the server key that wraps users' blob keys
}

// Open connects a pool to databaseURL (URL or key/value form; pool_* options
// of pgxpool apply) and starts the group-commit message writer. It checks the
// connection once so a wrong URL fails here rather than on first use.
func Open(ctx context.Context, databaseURL string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	db := &DB{pool: pool, setUser: setUserSQL}
	db.ingest = newIngester(pool)
	return db, nil
}

// Pool returns the underlying pool for code that needs raw access (leases,
// health checks). It is closed by Close.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close stops the message writer, waiting for the batch it is writing, then
// closes the pool. StoreMessage calls that were not taken into a batch, and
// all later calls, fail with EUNAVAILABLE. Idempotent.
func (db *DB) Close() {
	db.closeOnce.Do(func() {
		db.ingest.close()
		db.pool.Close()
	})
}
