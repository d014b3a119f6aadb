package persistence

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.TranscriptStore = (*DB)(nil)

// maxTranscript bounds a transcript like a message text (WhatsApp's 65536).
const maxTranscript = 65536

// SaveTranscript writes a voice note's transcript as its text, once: a note
// that has a text already (a transcript, or a caption), is deleted or is not
// a voice note keeps what it has.
func (db *DB) SaveTranscript(ctx context.Context, uid juta.UserID, sid juta.SessionID, id int64, text string) (juta.Message, bool, error) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > maxTranscript || !juta.StorableText(text) {
		return juta.Message{}, false, invalid("a transcript is 1 to %d bytes of UTF-8 without NUL", maxTranscript)
	}
	var (
		m       juta.Message
		applied bool
	)
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		if err := lockSession(ctx, tx, uid, sid); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, viewOf(`UPDATE messages SET text = $4, transcript = true
			WHERE id = $1 AND session_id = $2 AND user_id = $3 AND kind = $5 AND text = ''
				AND NOT transcript AND deleted_at IS NULL
			RETURNING *`), id, sid, uid, text, string(juta.KindVoice))
		if err != nil {
			return err
		}
		changed, err := pgx.CollectRows(rows, scanView)
		if err != nil || len(changed) == 0 {
			return err
		}
		m, applied = changed[0], true
		data, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("encode message: %w", err)
		}
		_, err = appendEvents(ctx, tx, uid, sid, juta.EventMessageTranscribed, data)
		return err
	})
	if err != nil {
		return juta.Message{}, false, dbError(err, "save transcript")
	}
	return m, applied, nil
}
