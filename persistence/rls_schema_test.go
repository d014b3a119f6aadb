package persistence_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Every table with a user column has forced row-level security and the app
// policy, and the isolation proof covers it: a later migration that adds a
// table of user data without a policy fails here.
func TestRLSCoversEveryUserTable(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	rows, err := db.Pool().Query(testCtx(t), `
		SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
		       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'app_rows')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
		  AND (c.relname = 'users' OR EXISTS (SELECT 1 FROM pg_attribute a
		       WHERE a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped))
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	var name string
	var enabled, forced, policy bool
	_, err = pgx.ForEachRow(rows, []any{&name, &enabled, &forced, &policy}, func() error {
		found = append(found, name)
		if !enabled || !forced || !policy {
			t.Errorf("%s: row security %v, forced %v, app policy %v", name, enabled, forced, policy)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for table := range rlsTables {
		want = append(want, table)
	}
	slices.Sort(want)
	if !slices.Equal(found, want) {
		t.Fatalf("user tables %v, isolation test covers %v", found, want)
	}
}

// With a connecting role that owns the tables but is no superuser (so FORCE
// matters), system paths still see every user and requests only their own.
func TestRLSWithNonSuperuserOwner(t *testing.T) {
	t.Parallel()
	adminURL := pgtest.MustEmptyURL(t)
	ctx := testCtx(t)
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(ctx) })
	var super bool
	if err := admin.QueryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil {
		t.Fatal(err)
	}
	if !super {
		t.Skip("creating a login role and a database for it needs a superuser DATABASE_URL")
	}
	ownerURL := mustOwnerDB(t, admin, adminURL)
	db, err := persistence.Open(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate as a non-superuser owner: %v", err)
	}
	alice, bob := seedUser(t, db), seedUser(t, db)
	var n int
	if err := db.Pool().QueryRow(ctx, `SELECT count(DISTINCT user_id) FROM messages`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("owner sees messages of %d users (%v), want 2", n, err)
	}
	// Each seeded user also has the owner of the session shared with them.
	users, err := db.AdminUsers(ctx, "", 0)
	if err != nil || len(users.Items) != 4 {
		t.Fatalf("admin users as the owner: %+v, %v", users, err)
	}
	sessions, err := db.Sessions(ctx, alice)
	if err != nil || len(sessions) != 1 || sessions[0].UserID != alice {
		t.Fatalf("alice's sessions: %+v, %v", sessions, err)
	}
	checkIsolation(t, db, alice, bob)
}

// mustOwnerDB creates a login role that is a member of juta_app (what an
// operator provisions) and a database it owns, both dropped at cleanup, and
// returns the role's URL for it.
func mustOwnerDB(t *testing.T, admin *pgx.Conn, adminURL string) string {
	t.Helper()
	ctx := testCtx(t)
	suffix := randomHex(6)
	role, dbName, password := "juta_test_owner_"+suffix, "juta_test_owned_"+suffix, randomHex(16)
	exec := func(sql string) {
		t.Helper()
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", strings.SplitN(sql, " ", 3)[:2], err)
		}
	}
	exec(fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD '%s'`, role, password))
	t.Cleanup(func() { _, _ = admin.Exec(ctx, `DROP ROLE IF EXISTS `+role) })
	exec(`DO $$ BEGIN CREATE ROLE juta_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`)
	exec(fmt.Sprintf(`GRANT juta_app TO %s`, role))
	exec(fmt.Sprintf(`CREATE DATABASE %s OWNER %s`, dbName, role))
	t.Cleanup(func() {
		if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS `+dbName+` WITH (FORCE)`); err != nil {
			t.Errorf("drop %s: %v", dbName, err)
		}
	})
	return connAs(t, adminURL, role, password, dbName)
}

func connAs(t *testing.T, conn, user, password, dbName string) string {
	t.Helper()
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		u, err := url.Parse(conn)
		if err != nil {
			t.Fatal(err)
		}
		u.User, u.Path = url.UserPassword(user, password), "/"+dbName
		return u.String()
	}
	return fmt.Sprintf("%s user=%s password=%s dbname=%s", conn, user, password, dbName)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
