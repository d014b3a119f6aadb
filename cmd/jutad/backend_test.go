package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A node refuses a database whose sessions belong to the other WhatsApp
// backend before it touches a session, and says why.
func TestNodeRefusesTheOtherBackendsDatabase(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.MustURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := persistence.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	m := &Main{cfg: Config{WhatsApp: "sim"}, db: db}
	if err := m.claimBackend(ctx); err != nil {
		t.Fatalf("first claim: %v", err)
	}
	if err := m.claimBackend(ctx); err != nil {
		t.Fatalf("the same backend again: %v", err)
	}
	db.Close()

	cmd := exec.CommandContext(ctx, jutadBinary(t))
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "JUTA_ADDR="+freeAddr(t), "JUTA_WHATSAPP=whatsmeow")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("a whatsmeow node started on the simulator's database:\n%s", out)
	}
	if !strings.Contains(string(out), "belongs to JUTA_WHATSAPP=sim") {
		t.Fatalf("the refusal does not say why:\n%s", out)
	}
}
