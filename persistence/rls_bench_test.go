package persistence_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// BenchmarkUserRead prices acting as a user on one small read: the same
// statement as the connecting role (no row-level security), in the one round
// trip a store's single-statement method uses (user_batch), and in a full user
// transaction (begin with the settings, the read, commit). Then a page of 50
// messages (of 300) without and with row-level security, and the store's
// Messages, which lists them for the API (every column, the message view:
// saved names, quotes, own reactions); messages_named lists a session whose
// user saved 300 names, 7 of them the senders of its page. The variants take
// turns within each iteration so that load on the machine weighs on all of
// them alike; each reports its own ns/op metric.
func BenchmarkUserRead(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	s := mustSession(b, db, mustUser(b, db).ID)
	for i := 0; i < 300; i++ {
		mustStore(b, db, msg(s, fmt.Sprintf("W%d", i), "hello"))
	}
	named := namedSession(b, db)
	ctx := context.Background()
	const q = `SELECT id, user_id, name FROM wa_sessions WHERE id = $1 AND user_id = $2`
	const page = `SELECT id, user_id, session_id, chat, sender, wa_id, from_me, text, sent_at, stored_at FROM messages
		WHERE session_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT 51`
	// PostgreSQL replans a statement run under another role than the one it
	// was planned for, so the plain and the user variants must not share a
	// prepared statement: in the stores, a statement always runs as one role.
	const userQ, userPage = "-- as user\n" + q, "-- as user\n" + page
	var id, uid int64
	var name string
	scan := func(row pgx.Row) error { return row.Scan(&id, &uid, &name) }
	variants := []struct {
		name string
		run  func() error
	}{
		{"plain", func() error { return scan(db.Pool().QueryRow(ctx, q, s.ID, s.UserID)) }},
		{"user_batch", func() error {
			return db.UserBatchForTest(ctx, s.UserID, func(bt *pgx.Batch) { bt.Queue(userQ, s.ID, s.UserID).QueryRow(scan) })
		}},
		{"user_tx", func() error {
			return db.UserTxForTest(ctx, s.UserID, func(tx pgx.Tx) error { return scan(tx.QueryRow(ctx, userQ, s.ID, s.UserID)) })
		}},
		{"page_plain", func() error {
			rows, _ := db.Pool().Query(ctx, page, s.ID, s.UserID)
			return wantRows(rows, 51)
		}},
		{"page_user_batch", func() error {
			return db.UserBatchForTest(ctx, s.UserID, func(bt *pgx.Batch) {
				bt.Queue(userPage, s.ID, s.UserID).Query(func(rows pgx.Rows) error { return wantRows(rows, 51) })
			})
		}},
		{"messages", func() error {
			p, err := db.Messages(ctx, s.UserID, s.ID, "", 50)
			if err == nil && len(p.Items) != 50 {
				err = fmt.Errorf("%d messages, want 50", len(p.Items))
			}
			return err
		}},
		{"messages_named", func() error {
			p, err := db.Messages(ctx, named.UserID, named.ID, "", 50)
			if err == nil && (len(p.Items) != 50 || p.Items[0].ContactName == "") {
				err = fmt.Errorf("%d messages, the first named %q", len(p.Items), p.Items[0].ContactName)
			}
			return err
		}},
	}
	spent := make([]time.Duration, len(variants))
	for b.Loop() {
		for i, v := range variants {
			start := time.Now()
			if err := v.run(); err != nil {
				b.Fatalf("%s: %v", v.name, err)
			}
			spent[i] += time.Since(start)
		}
	}
	for i, v := range variants {
		b.ReportMetric(float64(spent[i].Nanoseconds())/float64(b.N), v.name+"-ns/op")
	}
}

// namedSession is a session whose user saved 300 names, with 300 messages
// from 7 of those people, in their own chats.
func namedSession(b *testing.B, db *persistence.DB) juta.Session {
	s := mustSession(b, db, mustUser(b, db).ID)
	names := make([]juta.PeerName, 300)
	for i := range names {
		names[i] = juta.PeerName{Address: fmt.Sprintf("+6019%07d", i), ContactName: fmt.Sprintf("Kenalan %d", i)}
	}
	if err := db.SaveNames(context.Background(), s.UserID, s.ID, names); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		m := msg(s, fmt.Sprintf("N%d", i), "hello")
		m.Chat, m.Sender = names[i%7].Address, names[i%7].Address
		mustStore(b, db, m)
	}
	return s
}

func wantRows(rows pgx.Rows, want int) error {
	n, err := countRows(rows)
	if err == nil && n != want {
		err = fmt.Errorf("%d rows, want %d", n, want)
	}
	return err
}

func countRows(rows pgx.Rows) (int, error) {
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func mustStore(b *testing.B, db *persistence.DB, m juta.Message) {
	if _, _, _, err := db.StoreMessage(context.Background(), m); err != nil {
		b.Fatal(err)
	}
}
