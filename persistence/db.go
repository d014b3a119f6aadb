// Package persistence implements Juta's stores on PostgreSQL through pgx v5:
// users, credentials and API keys, WhatsApp sessions and their shares,
// messages (group-committed), actions and their detection queue, the per-user
// event log (published after commit through the juta.Publisher given at
// Open), webhooks and their delivery queue, idempotency claims, node secrets
// and signing keys, plus the schema migrations and the database health probe.
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
	"io"
	"log/slog"
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
	pub     juta.Publisher
	log     *slog.Logger
	blobKey blobKeyCache // the server key that wraps users' blob keys
	names   savedNames   // the saved names of senders, per session
}

// Option configures Open.
type Option func(*DB)

// WithPublisher makes p receive every event the stores append to the log,
// after its commit (see juta.Publisher). Without it events are only logged.
func WithPublisher(p juta.Publisher) Option {
	return func(db *DB) { db.pub = p }
}

// WithLogger sets where the stores log (failed batches, migrations). Without
// it they log nothing.
func WithLogger(l *slog.Logger) Option {
	return func(db *DB) { db.log = l }
}

// Open connects a pool to databaseURL (URL or key/value form; pool_* options
// of pgxpool apply) and starts the group-commit message writer. It checks the
// connection once so a wrong URL fails here rather than on first use.
func Open(ctx context.Context, databaseURL string, opts ...Option) (*DB, error) {
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
	for _, o := range opts {
		o(db)
	}
	if db.log == nil {
		db.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db.ingest = newIngester(pool, db.log, db.publish)
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
