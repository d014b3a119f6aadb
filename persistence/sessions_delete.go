package persistence

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	juta "github.com/juta-app/juta"
)

// DeleteSession deletes the user's session; its messages go with it (the
// foreign key cascades) and a session.deleted event records the removal.
func (db *DB) DeleteSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Event, error) {
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
	if err != nil {
		return juta.Event{}, dbError(err, "delete session")
	}
	return ev, nil
}
