package persistence

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	juta "github.com/juta-app/juta"
)

// deleteAttempts bounds how often a session's deletion runs: its cascade
// locks the rows of every table that points at the session (messages,
// actions, events, names...) after the session's own row, while a writer of
// one of those rows (detection saving an action, a transcript, a status)
// locks them the other way round, through its foreign keys. PostgreSQL breaks
// such a deadlock by aborting one of the two, often the deletion, which then
// runs again once the writer has committed.
const deleteAttempts = 3

// DeleteSession deletes the user's session; its messages go with it (the
// foreign key cascades) and a session.deleted event records the removal.
// ENOTFOUND when absent or another user's.
func (db *DB) DeleteSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Event, error) {
	for attempt := 1; ; attempt++ {
		ev, err := db.deleteSessionOnce(ctx, uid, sid)
		if err == nil || attempt == deleteAttempts || !brokenDeadlock(err) || ctx.Err() != nil {
			return ev, dbError(err, "delete session")
		}
		db.log.Warn("session deletion deadlocked with a writer; trying again", "session", sid, "attempt", attempt)
	}
}

func (db *DB) deleteSessionOnce(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Event, error) {
	var ev juta.Event
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM wa_sessions WHERE id = $1 AND user_id = $2`, sid, uid)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return juta.Errorf(juta.ENOTFOUND, "session %d not found", sid)
		}
		data, _ := json.Marshal(map[string]any{"id": sid})
		ev, err = appendEvents(ctx, tx, uid, sid, juta.EventSessionGone, data)
		return err
	})
	return ev, err
}
