package persistence

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/juta-app/juta"
)

// Row-level security is the second wall behind the user_id filters of the
// queries: work done for one user runs as the juta_app role with juta.user_id
// naming that user, and the policies of migration 0007 hide every other
// user's rows from it and refuse writes of them. juta_app owns no table and
// is no superuser, so this holds whatever role DATABASE_URL names.
//
// System work that spans users (the ingest writer's batches,
// SessionsToReconnect, PendingDetections, ClaimDueActions, ClaimWebhooks,
// logins and token rotation looked up by phone or hash, account creation,
// admin lists, signing keys, secrets) runs as the connecting role, which the
// system_rows policies let see every row. Such methods say so.

// setUserSQL is SET LOCAL ROLE juta_app plus the user id in one statement:
// set_config takes parameters where SET cannot, and with is_local the two
// settings end with the transaction, so a pooled connection never keeps them.
const setUserSQL = `SELECT set_config('role', 'juta_app', true), set_config('juta.user_id', $1, true)`

// userTx runs fn in one transaction acting for uid. The begin and the user
// statement travel in one round trip, so it costs what a plain transaction
// does. fn's error is returned as is.
func (db *DB) userTx(ctx context.Context, uid juta.UserID, fn func(pgx.Tx) error) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// A connection left inside a failed transaction is destroyed on release.
	defer conn.Release()
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	db.queueSetUser(ctx, b, uid)
	br := conn.SendBatch(ctx, b)
	tx := br.Tx()
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	if err := br.Close(); err != nil {
		return fenceError(err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// userBatch sends the user statement and the statements queue adds in one
// round trip. A batch without BEGIN runs as one implicit transaction, so the
// settings hold for exactly these statements, and their writes commit or
// fail together. Callbacks set on the queued statements run before it
// returns; the first error (a statement's or a callback's) is returned.
func (db *DB) userBatch(ctx context.Context, uid juta.UserID, queue func(b *pgx.Batch)) error {
	b := &pgx.Batch{}
	db.queueSetUser(ctx, b, uid)
	queue(b)
	return fenceError(db.pool.SendBatch(ctx, b).Close())
}

// queueSetUser queues the statement that makes the transaction act for uid.
// When ctx carries a fence for uid (cluster mode), the same statement checks
// it (juta_fence, migration 0013): a stale token fails the transaction with
// juta.ErrStaleLease before any of its writes, and a live one stays locked
// against takeover until the transaction ends. No extra round trip either way.
func (db *DB) queueSetUser(ctx context.Context, b *pgx.Batch, uid juta.UserID) {
	if token, ok := juta.FenceFor(ctx, uid); ok {
		b.Queue(db.setUser+`, juta_fence($2, $3)`, userSetting(uid), int64(uid), token)
		return
	}
	b.Queue(db.setUser, userSetting(uid))
}

// userExec runs one statement for uid.
func (db *DB) userExec(ctx context.Context, uid juta.UserID, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	err := db.userBatch(ctx, uid, func(b *pgx.Batch) {
		b.Queue(sql, args...).Exec(func(t pgconn.CommandTag) error {
			tag = t
			return nil
		})
	})
	return tag, err
}

// userRow runs one statement for uid and scans its single row; no row is
// pgx.ErrNoRows.
func userRow[T any](ctx context.Context, db *DB, uid juta.UserID, scan func(pgx.Row) (T, error), sql string, args ...any) (T, error) {
	var out T
	err := db.userBatch(ctx, uid, func(b *pgx.Batch) {
		b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
			var err error
			out, err = scan(row)
			return err
		})
	})
	return out, err
}

// userRows runs one query for uid and collects its rows.
func userRows[T any](ctx context.Context, db *DB, uid juta.UserID, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	var out []T
	err := db.userBatch(ctx, uid, func(b *pgx.Batch) {
		b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, scan)
			return err
		})
	})
	return out, err
}

// userRowsInto is userRows for hot paths: rows are scanned in place into a
// slice made for n rows (a capacity hint), so a row costs no allocation of
// its own beyond what scan keeps (strings).
func userRowsInto[T any](ctx context.Context, db *DB, uid juta.UserID, n int, scan func(pgx.Row, *T) error, sql string, args ...any) ([]T, error) {
	var out []T
	err := db.userBatch(ctx, uid, func(b *pgx.Batch) {
		b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
			out = make([]T, 0, n)
			for rows.Next() {
				var zero T
				out = append(out, zero)
				if err := scan(rows, &out[len(out)-1]); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	})
	return out, err
}

func userSetting(uid juta.UserID) string {
	return strconv.FormatInt(int64(uid), 10)
}
