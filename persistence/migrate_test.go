package persistence_test

import (
	"context"
	"io/fs"
	"sync"
	"testing"

	"github.com/juta-app/juta/migrations"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

func migrationCount(t *testing.T) int {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no embedded migrations: %v", err)
	}
	return len(names)
}

func appliedVersions(t *testing.T, db *persistence.DB) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(testCtx(t), "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatalf("count schema_migrations: %v", err)
	}
	return n
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	for range 2 {
		if err := db.Migrate(testCtx(t)); err != nil {
			t.Fatalf("migrate again: %v", err)
		}
	}
	if got, want := appliedVersions(t, db), migrationCount(t); got != want {
		t.Fatalf("applied %d migrations, want %d", got, want)
	}
}

func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	url := pgtest.MustEmptyURL(t)
	const n = 4
	dbs := make([]*persistence.DB, n)
	for i := range dbs {
		db, err := persistence.Open(testCtx(t), url)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(db.Close)
		dbs[i] = db
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() { errs[i] = db.Migrate(testCtx(t)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrate %d: %v", i, err)
		}
	}
	if got, want := appliedVersions(t, dbs[0]), migrationCount(t); got != want {
		t.Fatalf("applied %d migrations, want %d", got, want)
	}
}

// Another holder of the migration lock must wait until the first lets go.
func TestWithMigrationLockExcludes(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	other, err := persistence.Open(testCtx(t), db.Pool().Config().ConnString())
	if err != nil {
		t.Fatalf("open second handle: %v", err)
	}
	t.Cleanup(other.Close)

	entered, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- db.WithMigrationLock(testCtx(t), func(context.Context) error {
			close(entered)
			<-release
			return nil
		})
	}()
	<-entered

	inside := make(chan struct{})
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- other.WithMigrationLock(testCtx(t), func(context.Context) error {
			close(inside)
			return nil
		})
	}()
	eventually(t, "second caller to wait on the advisory lock", func() bool {
		var waiting int
		err := db.Pool().QueryRow(testCtx(t),
			"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())").
			Scan(&waiting)
		return err == nil && waiting == 1
	})
	select {
	case <-inside:
		t.Fatal("second caller entered while the first held the lock")
	default:
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatalf("first: %v", err)
	}
	if err := <-secondDone; err != nil {
		t.Fatalf("second: %v", err)
	}
	<-inside
}
