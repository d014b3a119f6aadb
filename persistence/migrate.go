package persistence

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/juta-app/juta/migrations"
)

// migrationLockKey is the advisory lock that serialises schema changes across
// processes: ours and whatsmeow's device-store upgrade ("juta" in ASCII).
const migrationLockKey int64 = 0x6a757461

// migration is one numbered SQL file.
type migration struct {
	version int64
	name    string
	sql     string
}

// Migrate applies the pending migrations in version order, each in its own
// transaction recorded in schema_migrations, while holding the migration
// advisory lock, so several processes may start at once. Already-applied
// versions are skipped: calling it again is a no-op.
func (db *DB) Migrate(ctx context.Context) error {
	all, err := loadMigrations(migrations.FS)
	if err != nil {
		return err
	}
	return db.withLockedConn(ctx, func(ctx context.Context, conn *pgxpool.Conn) error {
		return applyMigrations(ctx, db.log, conn, all)
	})
}

// WithMigrationLock runs fn while holding the migration advisory lock on one
// dedicated connection. Use it for other schema upgrades (whatsmeow's device
// store) so that they never run concurrently with ours or with another node's.
// fn should use its own connections; the locked one is not exposed.
func (db *DB) WithMigrationLock(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.withLockedConn(ctx, func(ctx context.Context, _ *pgxpool.Conn) error {
		return fn(ctx)
	})
}

func (db *DB) withLockedConn(ctx context.Context, fn func(context.Context, *pgxpool.Conn) error) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire migration connection: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer unlockMigrations(ctx, db.log, conn)
	return fn(ctx, conn)
}

// unlockMigrations releases the lock even when ctx is done. If that fails the
// connection is closed, which releases the lock on the server: a pooled
// connection must never keep it.
func unlockMigrations(ctx context.Context, log *slog.Logger, conn *pgxpool.Conn) {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", migrationLockKey); err != nil {
		log.Warn("release migration lock failed; closing connection", "err", err)
		_ = conn.Conn().Close(uctx)
	}
}

func applyMigrations(ctx context.Context, log *slog.Logger, conn *pgxpool.Conn, all []migration) error {
	const ddl = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    bigint PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())`
	if _, err := conn.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[int64]bool{}
	rows, err := conn.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("list applied migrations: %w", err)
	}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("list applied migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list applied migrations: %w", err)
	}
	for _, m := range all {
		if applied[m.version] {
			continue
		}
		if err := applyOne(ctx, conn, m); err != nil {
			return err
		}
		log.Info("migration applied", "version", m.version, "name", m.name)
	}
	return nil
}

func applyOne(ctx context.Context, conn *pgxpool.Conn, m migration) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", m.name, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	// No arguments: the simple protocol runs the file's statements in one go.
	if _, err := tx.Exec(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version) VALUES ($1)", m.version); err != nil {
		return fmt.Errorf("migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}

// loadMigrations reads NNNN_name.sql files, checks their header, and sorts
// them by version. A malformed or duplicate file is a build mistake: fail loud.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	seen := map[int64]string{}
	var all []migration
	for _, name := range names {
		prefix, _, ok := strings.Cut(name, "_")
		version, perr := strconv.ParseInt(prefix, 10, 64)
		if !ok || perr != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", other, name, version)
		}
		seen[version] = name
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		if !strings.HasPrefix(string(body), "-- ") {
			return nil, fmt.Errorf("migration %s: first line must be a \"-- \" header", name)
		}
		all = append(all, migration{version: version, name: name, sql: string(body)})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].version < all[j].version })
	return all, nil
}
