// Package pgtest gives tests a fresh, migrated PostgreSQL database of their
// own, dropped when the test ends. The server is the one DATABASE_URL names,
// or else the project-local one that scripts/db.sh starts.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta/persistence"
)

// MustOpenDB returns an open handle on a fresh migrated database, opened with
// opts. The handle is closed and the database dropped in t.Cleanup.
func MustOpenDB(t testing.TB, opts ...persistence.Option) *persistence.DB {
	t.Helper()
	dbURL := MustURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := persistence.Open(ctx, dbURL, opts...)
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	// Registered after MustURL's drop, so it runs before it.
	t.Cleanup(db.Close)
	return db
}

// MustURL returns the URL of a fresh migrated database, for tests that hand
// it to other processes. The database is dropped in t.Cleanup, disconnecting
// whoever is still connected.
func MustURL(t testing.TB) string {
	t.Helper()
	dbURL := MustEmptyURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := migrate(ctx, dbURL); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dbURL
}

// MustEmptyURL returns the URL of a fresh database with no schema at all, for
// tests of migrations themselves. It is dropped in t.Cleanup.
func MustEmptyURL(t testing.TB) string {
	t.Helper()
	admin := mustAdminURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := "juta_test_" + randomHex(8)
	if err := adminExec(ctx, admin, `CREATE DATABASE "`+name+`"`); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := adminExec(ctx, admin, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	dbURL, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dbURL
}

func migrate(ctx context.Context, dbURL string) error {
	db, err := persistence.Open(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func adminExec(ctx context.Context, admin, sql string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

var admin struct {
	once sync.Once
	url  string
	err  error
}

// mustAdminURL resolves the server once per test binary: starting the local
// server is slow the first time.
func mustAdminURL(t testing.TB) string {
	t.Helper()
	admin.once.Do(func() { admin.url, admin.err = resolveAdminURL() })
	if admin.err != nil {
		t.Fatalf("pgtest: no database server: %v", admin.err)
	}
	return admin.url
}

func resolveAdminURL() (string, error) {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(filepath.Join(root, "scripts", "db.sh"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("scripts/db.sh: %w", err)
	}
	u := strings.TrimSpace(string(out))
	if u == "" {
		return "", errors.New("scripts/db.sh printed no URL")
	}
	return u, nil
}

// repoRoot walks up from the working directory (a package directory under
// go test) to the directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// withDatabase points a URL or key/value connection string at database name.
func withDatabase(conn, name string) (string, error) {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		u, err := url.Parse(conn)
		if err != nil {
			return "", fmt.Errorf("parse database url: %w", err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	// In key/value form a later key overrides an earlier one.
	return conn + " dbname=" + name, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
