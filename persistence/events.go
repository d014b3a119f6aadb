package persistence

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// Bounds of EventsAfter's limit.
const (
	defaultEventLimit = 100
	maxEventLimit     = 1000
)

// AppendEvent appends one event (data must be a JSON document; sid 0 for an
// event about the account) and returns it with its cursor. ENOTFOUND when the
// user, or the session, is not found or the session is another user's.
func (db *DB) AppendEvent(ctx context.Context, uid juta.UserID, sid juta.SessionID, typ string, data []byte) (juta.Event, error) {
	if typ == "" || !json.Valid(data) {
		return juta.Event{}, invalid("event needs a type and JSON data")
	}
	var ev juta.Event
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		if sid != 0 {
			var ok bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM wa_sessions WHERE id = $1 AND user_id = $2)`,
				sid, uid).Scan(&ok)
			if err != nil {
				return err
			}
			if !ok {
				return notFound("session %d not found", sid)
			}
		}
		var err error
		ev, err = appendEvents(ctx, tx, uid, sid, typ, data)
		return err
	})
	if err != nil {
		return juta.Event{}, dbError(err, "append event")
	}
	return ev, nil
}

// appendEvents takes the next cursor from the user's counter, which also
// serialises this user's writers until the transaction ends. tx must come
// from logTx or systemLogTx, which publish the event after the commit.
func appendEvents(ctx context.Context, tx pgx.Tx, uid juta.UserID, sid juta.SessionID, typ string, data []byte) (juta.Event, error) {
	ev := juta.Event{UserID: uid, SessionID: sid, Type: typ, Data: data}
	if _, ok := tx.(*eventTx); !ok {
		return juta.Event{}, errUnpublished
	}
	err := tx.QueryRow(ctx, `UPDATE users SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq`, uid).
		Scan(&ev.Cursor)
	if err != nil {
		return juta.Event{}, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO events (user_id, cursor, session_id, type, data)
		VALUES ($1, $2, nullif($3::bigint, 0), $4, $5::text::jsonb) RETURNING created_at`,
		uid, ev.Cursor, int64(sid), typ, string(data)).Scan(&ev.CreatedAt)
	if err != nil {
		return juta.Event{}, err
	}
	recordEvent(tx, ev)
	return ev, nil
}

// EventsAfter returns up to limit events with cursor > after, in order. limit
// 0 means 100; it is clamped to 1..1000.
func (db *DB) EventsAfter(ctx context.Context, uid juta.UserID, after int64, limit int) ([]juta.Event, error) {
	limit = clamp(limit, defaultEventLimit, maxEventLimit)
	evs, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.Event, error) {
		ev := juta.Event{UserID: uid}
		var data string
		err := r.Scan(&ev.Cursor, &ev.SessionID, &ev.Type, &data, &ev.CreatedAt)
		ev.Data = []byte(data)
		return ev, err
	}, `SELECT cursor, coalesce(session_id, 0), type, data::text, created_at
		FROM events WHERE user_id = $1 AND cursor > $2 ORDER BY cursor LIMIT $3`, uid, after, limit)
	return evs, dbError(err, "list events")
}

// clamp maps 0 to def and bounds n to 1..hi.
func clamp(n, def, hi int) int {
	switch {
	case n == 0:
		return def
	case n < 1:
		return 1
	case n > hi:
		return hi
	}
	return n
}
