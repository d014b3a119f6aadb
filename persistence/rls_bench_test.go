package persistence_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// BenchmarkUserRead prices acting as a user on one small read: the same
// statement as the connecting role (no row-level security), in the one round
// trip a store's single-statement method uses, and in a full user
// transaction (begin with the settings, the read, commit).
func BenchmarkUserRead(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	s := mustSession(b, db, mustUser(b, db).ID)
	for i := 0; i < 50; i++ {
		mustStore(b, db, msg(s, fmt.Sprintf("W%d", i), "hello"))
	}
	ctx := context.Background()
	const q = `SELECT id, user_id, name FROM wa_sessions WHERE id = $1 AND user_id = $2`
	var id, uid int64
	var name string
	scan := func(row pgx.Row) error { return row.Scan(&id, &uid, &name) }
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			if err := scan(db.Pool().QueryRow(ctx, q, s.ID, s.UserID)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("user_batch", func(b *testing.B) {
		for b.Loop() {
			err := db.UserBatchForTest(ctx, s.UserID, func(bt *pgx.Batch) { bt.Queue(q, s.ID, s.UserID).QueryRow(scan) })
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("user_tx", func(b *testing.B) {
		for b.Loop() {
			err := db.UserTxForTest(ctx, s.UserID, func(tx pgx.Tx) error { return scan(tx.QueryRow(ctx, q, s.ID, s.UserID)) })
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	// A page of 50 messages, as the API lists them, with and without RLS.
	const page = `SELECT id, user_id, session_id, chat, sender, wa_id, from_me, text, sent_at, stored_at FROM messages
		WHERE session_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT 51`
	b.Run("messages_page_plain", func(b *testing.B) {
		for b.Loop() {
			rows, _ := db.Pool().Query(ctx, page, s.ID, s.UserID)
			if n, err := countRows(rows); err != nil || n != 50 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("messages_page_rls", func(b *testing.B) {
		for b.Loop() {
			p, err := db.Messages(ctx, s.UserID, s.ID, "", 50)
			if err != nil || len(p.Items) != 50 {
				b.Fatal(len(p.Items), err)
			}
		}
	})
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
