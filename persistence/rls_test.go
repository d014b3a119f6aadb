package persistence_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// rlsTables are the tables of user data and the column naming their user.
var rlsTables = map[string]string{
	"users":              "id",
	"wa_sessions":        "user_id",
	"messages":           "user_id",
	"message_versions":   "user_id",
	"blobs":              "user_id",
	"blob_keys":          "user_id",
	"blob_chunks":        "user_id",
	"events":             "user_id",
	"actions":            "user_id",
	"webhooks":           "user_id",
	"webhook_deliveries": "user_id",
	"api_keys":           "user_id",
	"refresh_families":   "user_id",
	"refresh_tokens":     "user_id",
	"idempotency_keys":   "user_id",
	// Shares are also visible to their owner; here each seeded user is a
	// grantee only, and shares_test.go proves the owner's side.
	"session_shares": "user_id",
	"chat_reads":     "user_id",
	"webhook_delays": "user_id",
	"leases":         "user_id",
	"lease_history":  "user_id",
	"ws_tickets":     "user_id",
	"contact_names":  "user_id",
	"wa_groups":      "user_id",
	"uploads":        "user_id",
	"upload_parts":   "user_id",
}

// seedUser creates a user with at least one row in every table of rlsTables,
// through the stores where they can write it.
func seedUser(t *testing.T, db *persistence.DB) juta.UserID {
	t.Helper()
	ctx := testCtx(t)
	uid := mustUser(t, db).ID
	s := mustSession(t, db, uid)
	m := storeMsg(t, db, msg(s, "W1", "see you at 3pm tomorrow"))
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %s: %v", what, err)
		}
	}
	_, err := db.ApplyChange(ctx, uid, s.ID, juta.MessageChange{Kind: juta.ChangeEdit, Chat: m.Chat, Sender: m.Sender,
		WAID: "E1", Targets: []string{m.WAID}, Text: "see you at 3pm tomorrow, ok?", At: m.SentAt.Add(time.Minute)})
	must("edit", err)
	_, err = juta.PutBlob(ctx, db, uid, []byte("media of user"), 0)
	must("blob", err)
	up, err := db.CreateUpload(ctx, uid, juta.PendingUpload{Session: s.ID, MIME: "application/pdf", Kind: juta.KindDocument, Size: 10}, 0)
	must("upload", err)
	_, err = db.PutUploadPart(ctx, uid, up.ID, 0, []byte("part"))
	must("upload part", err)
	_, _, _, err = db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionMeeting, Title: "Meet", Confidence: 0.8}}})
	must("action", err)
	w, err := db.CreateWebhook(ctx, uid, juta.Webhook{URL: "https://example.com/h", Events: []string{"*"}, Secret: "s"})
	must("webhook", err)
	_, err = db.Pool().Exec(ctx, `INSERT INTO webhook_deliveries (id, user_id, webhook_id, cursor, event_type, status, attempts)
		VALUES (nextval('webhook_delivery_seq'), $1, $2, 1, 'message', 'dead', 1)`, uid, w.ID)
	must("delivery", err)
	must("read marker", db.MarkChatRead(ctx, uid, uid, s.ID, m.Chat, 0))
	must("names", db.SaveNames(ctx, uid, s.ID, []juta.PeerName{{Address: m.Sender, PushName: "Ali"}}))
	must("group", db.ApplyGroup(ctx, uid, s.ID, juta.WAGroup{JID: "120363025246125486@g.us", Participants: []string{m.Sender}}))
	_, err = db.Pool().Exec(ctx, `INSERT INTO webhook_delays (user_id, webhook_id, delay) VALUES ($1, $2, '1 second')`, uid, w.ID)
	must("webhook delay", err)
	_, err = db.CreateAPIKey(ctx, juta.APIKey{UserID: uid, Prefix: "p", Scopes: []string{"read"}},
		hashOf(fmt.Sprintf("key-%d", uid)))
	must("api key", err)
	_, err = db.CreateRefreshToken(ctx, uid, hashOf(fmt.Sprintf("refresh-%d", uid)), time.Now().Add(time.Hour))
	must("refresh token", err)
	h := hashOf("request")
	_, _, err = db.ClaimIdempotencyKey(ctx, uid, "k", h, time.Now(), time.Now().Add(time.Hour))
	must("idempotency key", err)
	_, err = db.IssueTicket(ctx, uid, hashOf(fmt.Sprintf("ticket-%d", uid)), []byte("{}"), time.Hour, -1)
	must("ws ticket", err)
	node, err := db.JoinCluster(ctx, "seed", "", juta.ClusterSettings{LeaseTTL: time.Hour})
	must("node", err)
	_, err = db.ClaimLease(ctx, uid, node, time.Hour)
	must("lease", err)
	owner := mustUser(t, db)
	u, err := db.User(ctx, uid)
	must("user", err)
	_, _, err = db.ShareSession(ctx, owner.ID, mustSession(t, db, owner.ID).ID, u.Phone, juta.ShareViewer)
	must("share", err)
	return uid
}

// owners returns the user column of every row a query of table shows.
func owners(tx pgx.Tx, t *testing.T, table, col string) []int64 {
	t.Helper()
	rows, err := tx.Query(testCtx(t), fmt.Sprintf(`SELECT %s FROM %s`, col, table))
	if err != nil {
		t.Fatalf("select %s: %v", table, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatalf("select %s: %v", table, err)
	}
	return ids
}

// The proof: acting as Bob, a query without any user filter shows Bob's rows
// of every table and none of Alice's, although hers exist.
func TestRLSUnfilteredQueriesSeeOnlyTheirUser(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	checkIsolation(t, db, seedUser(t, db), seedUser(t, db))
}

func checkIsolation(t *testing.T, db *persistence.DB, alice, bob juta.UserID) {
	ctx := testCtx(t)
	for table, col := range rlsTables {
		t.Run(table, func(t *testing.T) {
			var n int
			q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s = $1`, table, col)
			if err := db.Pool().QueryRow(ctx, q, alice).Scan(&n); err != nil || n == 0 {
				t.Fatalf("alice's rows in %s as the connecting role: %d, %v", table, n, err)
			}
			err := db.UserTxForTest(ctx, bob, func(tx pgx.Tx) error {
				ids := owners(tx, t, table, col)
				if len(ids) == 0 {
					t.Errorf("bob sees none of his own rows in %s", table)
				}
				for _, id := range ids {
					if id != int64(bob) {
						t.Errorf("bob sees a row of user %d in %s", id, table)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The one-round-trip path used by single statements.
			var seen []int64
			err = db.UserBatchForTest(ctx, bob, func(b *pgx.Batch) {
				b.Queue(fmt.Sprintf(`SELECT %s FROM %s`, col, table)).Query(func(rows pgx.Rows) error {
					var err error
					seen, err = pgx.CollectRows(rows, pgx.RowTo[int64])
					return err
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range seen {
				if id != int64(bob) {
					t.Errorf("batch: bob sees a row of user %d in %s", id, table)
				}
			}
			if len(seen) == 0 {
				t.Errorf("batch: bob sees none of his own rows in %s", table)
			}
		})
	}
}

// A transaction in the app role that names no user sees no row at all.
func TestRLSWithoutUserSeesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	seedUser(t, db)
	ctx := testCtx(t)
	for table, col := range rlsTables {
		err := pgx.BeginFunc(ctx, db.Pool(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL ROLE juta_app`); err != nil {
				return err
			}
			if ids := owners(tx, t, table, col); len(ids) != 0 {
				t.Errorf("%s: %d rows visible with no user set", table, len(ids))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
	}
}

var errRollback = errors.New("roll back")

func wantRefused(t *testing.T, what string, err error) {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42501" {
		t.Errorf("%s: err = %v, want insufficient_privilege (42501)", what, err)
	}
}

// Acting as Bob, writing a row for Alice is refused, moving his own row to
// her is refused, and her rows cannot be changed or deleted.
func TestRLSRefusesWritesForAnotherUser(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	alice, bob := seedUser(t, db), seedUser(t, db)
	ctx := testCtx(t)
	aliceSessions, err := db.Sessions(ctx, alice)
	if err != nil || len(aliceSessions) == 0 {
		t.Fatalf("alice's sessions: %v", err)
	}
	sid := aliceSessions[0].ID
	inserts := map[string]string{
		"wa_sessions":      `INSERT INTO wa_sessions (user_id) VALUES ($1)`,
		"events":           `INSERT INTO events (user_id, cursor, type, data) VALUES ($1, 1000, 'x', '{}')`,
		"idempotency_keys": `INSERT INTO idempotency_keys (user_id, key, request_hash, expires_at) VALUES ($1, 'b', '\x` + fmt.Sprintf("%064x", 1) + `', now())`,
		"refresh_families": `INSERT INTO refresh_families (user_id) VALUES ($1)`,
		"webhooks":         `INSERT INTO webhooks (user_id, url, events, secret) VALUES ($1, 'https://x', '{*}', 's')`,
		"api_keys":         `INSERT INTO api_keys (user_id, prefix, hash, scopes) VALUES ($1, 'p', '\x` + fmt.Sprintf("%064x", 2) + `', '{read}')`,
		"messages": fmt.Sprintf(`INSERT INTO messages (user_id, session_id, chat, sender, wa_id, sent_at)
			VALUES ($1, %d, 'c', 's', 'forged', now())`, sid),
	}
	for table, sql := range inserts {
		err := db.UserBatchForTest(ctx, bob, func(b *pgx.Batch) { b.Queue(sql, alice) })
		wantRefused(t, "insert into "+table+" for alice", err)
	}
	err = db.UserTxForTest(ctx, bob, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE wa_sessions SET user_id = $1`, alice)
		return err
	})
	wantRefused(t, "moving bob's session to alice", err)
	err = db.UserTxForTest(ctx, bob, func(tx pgx.Tx) error {
		for _, sql := range []string{`UPDATE wa_sessions SET name = 'taken'`, `DELETE FROM messages`,
			`UPDATE users SET disabled_at = now() WHERE id = ` + fmt.Sprint(alice)} {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
		}
		return errRollback // bob's own changes are not the point
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("bob's writes: %v", err)
	}
	got, err := db.Session(ctx, alice, sid)
	if err != nil || got.Name == "taken" {
		t.Fatalf("alice's session after bob's update: %+v, %v", got, err)
	}
	if page, err := db.Messages(ctx, alice, sid, "", 0); err != nil || len(page.Items) != 1 {
		t.Fatalf("alice's messages after bob's delete: %+v, %v", page, err)
	}
	if a, err := db.Account(ctx, alice); err != nil || a.Disabled {
		t.Fatalf("alice's account after bob's update: %+v, %v", a, err)
	}
}

// The app role reads no password hash and no deployment secret at all.
func TestRLSAppRoleLacksSystemGrants(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	uid := seedUser(t, db)
	ctx := testCtx(t)
	for _, sql := range []string{
		`SELECT password_hash FROM users`, `SELECT * FROM secrets`, `SELECT * FROM signing_keys`,
		`SELECT * FROM login_failures`, `INSERT INTO users (phone, password_hash) VALUES ('+60123456789', 'x')`,
		`DELETE FROM users`,
	} {
		err := db.UserTxForTest(ctx, uid, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql)
			return err
		})
		wantRefused(t, sql, err)
	}
}

// Settings made for one user end with their transaction: the pooled
// connection goes back to the connecting role with no user, also after a
// statement failed.
func TestRLSSettingsDoNotOutliveTheTransaction(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.MustURL(t)
	db, err := persistence.Open(testCtx(t), withParam(dbURL, "pool_max_conns", "1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	ctx := testCtx(t)
	var owner string
	if err := db.Pool().QueryRow(ctx, `SELECT current_user`).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	uid := seedUser(t, db)
	check := func(after string) {
		t.Helper()
		var role, user string
		err := db.Pool().QueryRow(ctx, `SELECT current_user, coalesce(current_setting('juta.user_id', true), '')`).
			Scan(&role, &user)
		if err != nil || role != owner || user != "" {
			t.Fatalf("after %s: role %q user %q (%v), want %q and no user", after, role, user, err, owner)
		}
	}
	if _, err := db.Sessions(ctx, uid); err != nil {
		t.Fatal(err)
	}
	check("a batch")
	if err := db.UserTxForTest(ctx, uid, func(pgx.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	check("a transaction")
	_ = db.UserBatchForTest(ctx, uid, func(b *pgx.Batch) { b.Queue(`SELECT 1/0`) })
	check("a failed batch")
	_ = db.UserTxForTest(ctx, uid, func(tx pgx.Tx) error { _, err := tx.Exec(ctx, `SELECT 1/0`); return err })
	check("a failed transaction")
}

// withParam adds a connection parameter to a URL or key/value string.
func withParam(conn, key, value string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		sep := "?"
		if strings.Contains(conn, "?") {
			sep = "&"
		}
		return conn + sep + key + "=" + value
	}
	return conn + " " + key + "=" + value
}

// Every statement of a batch shares the user settings in every query mode
// pgx offers, including the simple protocol a pooler may require.
func TestRLSInEveryQueryExecMode(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.MustURL(t)
	for _, mode := range []string{"cache_statement", "cache_describe", "describe_exec", "exec", "simple_protocol"} {
		t.Run(mode, func(t *testing.T) {
			db, err := persistence.Open(testCtx(t), withParam(dbURL, "default_query_exec_mode", mode))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(db.Close)
			checkIsolation(t, db, seedUser(t, db), seedUser(t, db))
		})
	}
}
