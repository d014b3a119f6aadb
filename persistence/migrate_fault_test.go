package persistence_test

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// PostgreSQL going away in the middle of a migration (here the migration's
// own connection is terminated after its first statement, as a server
// restart would) fails the migration with an error and leaves nothing of it:
// not its first statement, not its record. The next start applies it whole.
func TestMigrationCutMidwayLeavesNothingHalfApplied(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dbURL := pgtest.MustEmptyURL(t)
	db, err := persistence.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cut := fstest.MapFS{
		"0001_a.sql": {Data: []byte("-- a table\nCREATE TABLE fault_a (id int);")},
		"0002_b.sql": {Data: []byte("-- b, cut midway\nCREATE TABLE fault_b (id int);\nSELECT pg_terminate_backend(pg_backend_pid());\nCREATE TABLE fault_c (id int);")},
	}
	if err := db.MigrateFSForTest(ctx, cut); err == nil {
		t.Fatal("a migration whose connection died reported success")
	}
	var tables, recorded int
	check := func() {
		t.Helper()
		err := db.Pool().QueryRow(ctx, `SELECT
			(SELECT count(*) FROM pg_tables WHERE tablename IN ('fault_a', 'fault_b', 'fault_c')),
			(SELECT count(*) FROM schema_migrations)`).Scan(&tables, &recorded)
		if err != nil {
			t.Fatal(err)
		}
	}
	check()
	if tables != 1 || recorded != 1 {
		t.Fatalf("after the cut: %d tables and %d recorded migrations, want only the first (1 and 1)", tables, recorded)
	}
	whole := fstest.MapFS{
		"0001_a.sql": cut["0001_a.sql"],
		"0002_b.sql": {Data: []byte("-- b\nCREATE TABLE fault_b (id int);\nCREATE TABLE fault_c (id int);")},
	}
	if err := db.MigrateFSForTest(ctx, whole); err != nil {
		t.Fatalf("the next start: %v", err)
	}
	check()
	if tables != 3 || recorded != 2 {
		t.Fatalf("after the next start: %d tables and %d recorded migrations, want 3 and 2", tables, recorded)
	}
}
