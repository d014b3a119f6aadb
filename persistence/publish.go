package persistence

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// Every event appended to the log reaches the juta.Publisher given at Open
// once its transaction has committed, and never before: a live subscriber
// that sees a cursor gap reads the log, and must find everything up to the
// event it holds. The writes that append run in logTx (or systemLogTx), which
// hands fn a transaction that records what appendEvents wrote; the message
// writer publishes its batches itself. appendEvents refuses any other
// transaction, so a new write that would append without publishing fails at
// once instead of silently leaving live streams behind.

// errUnpublished is a programming error: an event appended outside logTx.
var errUnpublished = errors.New("event appended outside a publishing transaction (use logTx)")

// eventTx is a transaction that remembers the events appended in it.
type eventTx struct {
	pgx.Tx
	events []juta.Event
}

// logTx is userTx for writes that append to the event log: the events are
// published after the commit, and dropped when the transaction fails.
func (db *DB) logTx(ctx context.Context, uid juta.UserID, fn func(pgx.Tx) error) error {
	etx := &eventTx{}
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		etx.Tx = tx
		return fn(etx)
	})
	if err == nil {
		db.publish(etx.events)
	}
	return err
}

// systemLogTx is logTx for system work that spans users (it runs as the
// connecting role).
func (db *DB) systemLogTx(ctx context.Context, fn func(pgx.Tx) error) error {
	etx := &eventTx{}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		etx.Tx = tx
		return fn(etx)
	})
	if err == nil {
		db.publish(etx.events)
	}
	return err
}

// recordEvent notes ev as appended in tx, which appendEvents has checked is
// an eventTx.
func recordEvent(tx pgx.Tx, ev juta.Event) {
	if etx, ok := tx.(*eventTx); ok {
		etx.events = append(etx.events, ev)
	}
}

// publish hands committed events to the publisher, one call per user in the
// order they were appended (a transaction may append to several users' logs:
// a share's notice goes to the grantee, due reminders span users).
func (db *DB) publish(evs []juta.Event) {
	if db.pub == nil || len(evs) == 0 {
		return
	}
	start := 0
	for i := 1; i <= len(evs); i++ {
		if i == len(evs) || evs[i].UserID != evs[start].UserID {
			db.pub.Publish(evs[start].UserID, evs[start:i:i])
			start = i
		}
	}
}
