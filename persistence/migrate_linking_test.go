package persistence_test

import (
	"encoding/json"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Migration 0009 strips the linking code from session.qr events logged
// before codes left the log, and leaves every other event alone.
func TestMigrationStripsLoggedLinkingCodes(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	old := `{"sessionId":1,"code":"2@secret-linking-code","expiresAt":"2026-01-01T00:00:00Z"}`
	if _, err := db.AppendEvent(ctx, u.ID, s.ID, juta.EventSessionQR, []byte(old)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendEvent(ctx, u.ID, s.ID, "message", []byte(`{"code":"kept"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `DELETE FROM schema_migrations WHERE version = 9`); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	evs, err := db.EventsAfter(ctx, u.ID, 0, 10)
	if err != nil || len(evs) != 2 {
		t.Fatalf("events = %+v %v", evs, err)
	}
	var qr map[string]any
	if err := json.Unmarshal(evs[0].Data, &qr); err != nil {
		t.Fatal(err)
	}
	if _, ok := qr["code"]; ok || qr["expiresAt"] != "2026-01-01T00:00:00Z" {
		t.Fatalf("session.qr after the migration: %s", evs[0].Data)
	}
	if string(evs[1].Data) != `{"code": "kept"}` {
		t.Fatalf("another event changed: %s", evs[1].Data)
	}
}
