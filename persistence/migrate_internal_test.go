package persistence

import (
	"testing"
	"testing/fstest"

	"github.com/juta-app/juta/migrations"
)

func TestLoadMigrationsOrdersAndChecks(t *testing.T) {
	t.Parallel()
	good := fstest.MapFS{
		"0002_b.sql": {Data: []byte("-- second\nSELECT 2;")},
		"0001_a.sql": {Data: []byte("-- first\nSELECT 1;")},
	}
	all, err := loadMigrations(good)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(all) != 2 || all[0].version != 1 || all[1].version != 2 {
		t.Fatalf("order = %+v", all)
	}
	bad := map[string]fstest.MapFS{
		"no header":     {"0001_a.sql": {Data: []byte("SELECT 1;")}},
		"no number":     {"init.sql": {Data: []byte("-- x\n")}},
		"dup version":   {"0001_a.sql": {Data: []byte("-- a\n")}, "01_b.sql": {Data: []byte("-- b\n")}},
		"zero version":  {"0000_a.sql": {Data: []byte("-- a\n")}},
		"bad separator": {"0001-a.sql": {Data: []byte("-- a\n")}},
	}
	for name, fsys := range bad {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
	if _, err := loadMigrations(migrations.FS); err != nil {
		t.Fatalf("embedded migrations: %v", err)
	}
}
