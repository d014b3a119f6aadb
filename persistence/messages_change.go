package persistence

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// maxChangeTargets bounds the messages one receipt may name.
const maxChangeTargets = 256

// ApplyChange applies ch to the session's stored messages and appends one
// event per message it changed (data: the message after the change), in one
// transaction. A change already applied, older than what the message shows,
// aimed at a message that is not stored, or an edit or delete by someone other
// than the message's sender changes nothing and returns no events. EINVALID
// for a malformed change; ENOTFOUND when the session is not the user's.
func (db *DB) ApplyChange(ctx context.Context, uid juta.UserID, sid juta.SessionID, ch juta.MessageChange) ([]juta.Event, error) {
	if err := validateChange(ch); err != nil {
		return nil, err
	}
	var evs []juta.Event
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		if err := lockSession(ctx, tx, uid, sid); err != nil {
			return err
		}
		changed, typ, err := applyChange(ctx, tx, uid, sid, ch)
		if err != nil {
			return err
		}
		evs = evs[:0]
		for _, m := range changed {
			data, err := json.Marshal(m)
			if err != nil {
				return fmt.Errorf("encode message: %w", err)
			}
			ev, err := appendEvents(ctx, tx, uid, sid, typ, data)
			if err != nil {
				return err
			}
			evs = append(evs, ev)
		}
		return nil
	})
	if err != nil {
		return nil, dbError(err, "apply message change")
	}
	return evs, nil
}

func validateChange(ch juta.MessageChange) error {
	if ch.Chat == "" || len(ch.Targets) == 0 || len(ch.Targets) > maxChangeTargets || ch.At.IsZero() {
		return invalid("a change needs a chat, 1 to %d target messages and a time", maxChangeTargets)
	}
	for _, s := range append([]string{ch.Chat, ch.Sender, ch.WAID, ch.Text}, ch.Targets...) {
		if !juta.StorableText(s) {
			return invalid("change contains invalid UTF-8 or NUL bytes")
		}
	}
	switch ch.Kind {
	case juta.ChangeEdit, juta.ChangeDelete, juta.ChangeReaction:
		if ch.Sender == "" || ch.WAID == "" || len(ch.Targets) != 1 {
			return invalid("an edit, delete or reaction needs its sender, its own id and one target")
		}
	case juta.ChangeReceipt:
		if !slices.Contains(juta.MessageStatuses, ch.Status) {
			return invalid("unknown status %q", ch.Status)
		}
	default:
		return invalid("unknown change kind %q", ch.Kind)
	}
	return nil
}

func lockSession(ctx context.Context, tx pgx.Tx, uid juta.UserID, sid juta.SessionID) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM wa_sessions WHERE id = $1 AND user_id = $2`, sid, uid).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound("session %d not found", sid)
	}
	return err
}

// applyChange runs the statement of ch's kind and returns the messages it
// changed and the type of their events.
func applyChange(ctx context.Context, tx pgx.Tx, uid juta.UserID, sid juta.SessionID, ch juta.MessageChange) ([]juta.Message, string, error) {
	var (
		rows pgx.Rows
		err  error
		typ  string
	)
	switch ch.Kind {
	case juta.ChangeEdit:
		typ = juta.EventMessageEdited
		if err := keepVersions(ctx, tx, uid, sid, ch); err != nil {
			return nil, "", err
		}
		// The text is the latest version's: edits arriving out of order
		// settle on the newest.
		rows, err = tx.Query(ctx, viewOf(`UPDATE messages m SET
				text = (SELECT v.text FROM message_versions v WHERE v.message_id = m.id ORDER BY v.at DESC, v.wa_id DESC LIMIT 1),
				edited_at = (SELECT max(v.at) FROM message_versions v WHERE v.message_id = m.id)
			WHERE m.session_id = $1 AND m.user_id = $2 AND m.chat = $3 AND m.wa_id = $4 AND m.sender = $5
				AND m.deleted_at IS NULL
				AND m.edited_at IS DISTINCT FROM (SELECT max(v.at) FROM message_versions v WHERE v.message_id = m.id)
			RETURNING m.*`), sid, uid, ch.Chat, ch.Targets[0], ch.Sender)
	case juta.ChangeDelete:
		typ = juta.EventMessageDeleted
		// What the sender took back goes: text, caption, content, media
		// key and earlier versions. Who, when and the kind stay.
		if _, err := tx.Exec(ctx, `DELETE FROM message_versions v USING messages m
			WHERE v.message_id = m.id AND m.session_id = $1 AND m.user_id = $2 AND m.chat = $3 AND m.wa_id = $4 AND m.sender = $5`,
			sid, uid, ch.Chat, ch.Targets[0], ch.Sender); err != nil {
			return nil, "", err
		}
		rows, err = tx.Query(ctx, viewOf(`UPDATE messages SET deleted_at = $6, text = '', content = NULL, media_key = NULL,
				reactions = NULL, edited_at = NULL
			WHERE session_id = $1 AND user_id = $2 AND chat = $3 AND wa_id = $4 AND sender = $5 AND deleted_at IS NULL
			RETURNING *`), sid, uid, ch.Chat, ch.Targets[0], ch.Sender, ch.At)
	case juta.ChangeReaction:
		typ = juta.EventMessageReaction
		rows, err = tx.Query(ctx, viewOf(`UPDATE messages SET reactions = coalesce(reactions, '{}') ||
				jsonb_build_object($5::text, jsonb_build_object('emoji', $6::text, 'at', $7::timestamptz))
			WHERE session_id = $1 AND user_id = $2 AND chat = $3 AND wa_id = $4 AND deleted_at IS NULL
				AND (reactions IS NULL OR NOT reactions ? $5::text OR (reactions -> $5::text ->> 'at')::timestamptz < $7::timestamptz)
			RETURNING *`), sid, uid, ch.Chat, ch.Targets[0], ch.Sender, ch.Text, ch.At)
	case juta.ChangeReceipt:
		typ = juta.EventMessageStatus
		rows, err = tx.Query(ctx, viewOf(`UPDATE messages SET status = $5
			WHERE session_id = $1 AND user_id = $2 AND chat = $3 AND wa_id = ANY($4) AND from_me
				AND `+statusRank("status")+` < `+statusRank("$5::text")+`
			RETURNING *`), sid, uid, ch.Chat, ch.Targets, string(ch.Status))
	}
	if err != nil {
		return nil, "", err
	}
	changed, err := pgx.CollectRows(rows, scanView)
	return changed, typ, err
}

// statusRank orders statuses as they advance; NULL is "sent". failed ranks
// above read: once a send failed, a stray receipt does not hide it.
func statusRank(expr string) string {
	return `(CASE coalesce(` + expr + `, 'sent') WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 4 END)`
}

// keepVersions records the original text and the edit of the edited message,
// if it is stored and the editor's. Each is kept once, by its WhatsApp id: the
// original is recorded by the first edit, before any text was replaced.
func keepVersions(ctx context.Context, tx pgx.Tx, uid juta.UserID, sid juta.SessionID, ch juta.MessageChange) error {
	_, err := tx.Exec(ctx, `INSERT INTO message_versions (user_id, message_id, wa_id, text, at)
		SELECT m.user_id, m.id, v.wa_id, v.text, v.at
		FROM messages m, LATERAL (VALUES (m.wa_id, m.text, m.sent_at), ($6::text, $7::text, $8::timestamptz)) AS v(wa_id, text, at)
		WHERE m.session_id = $1 AND m.user_id = $2 AND m.chat = $3 AND m.wa_id = $4 AND m.sender = $5 AND m.deleted_at IS NULL
		ON CONFLICT (message_id, wa_id) DO NOTHING`,
		sid, uid, ch.Chat, ch.Targets[0], ch.Sender, ch.WAID, ch.Text, ch.At)
	return err
}

// MessageVersions returns the texts a message had, oldest first: the
// original, then each edit. A message never edited has none. ENOTFOUND when
// the message is not in the user's session.
func (db *DB) MessageVersions(ctx context.Context, uid juta.UserID, sid juta.SessionID, id int64) ([]juta.MessageVersion, error) {
	var out []juta.MessageVersion
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM messages WHERE id = $1 AND session_id = $2 AND user_id = $3`, id, sid, uid).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("message %d not found", id)
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT text, at FROM message_versions WHERE message_id = $1 AND user_id = $2
			ORDER BY at, wa_id`, id, uid)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.MessageVersion, error) {
			var v juta.MessageVersion
			err := r.Scan(&v.Text, &v.At)
			return v, err
		})
		return err
	})
	if err != nil {
		return nil, dbError(err, "message versions")
	}
	if out == nil {
		out = []juta.MessageVersion{}
	}
	return out, nil
}

// reactionDoc is one entry of the reactions column.
type reactionDoc struct {
	Emoji string    `json:"emoji"`
	At    time.Time `json:"at"`
}

// decodeReactions lists the current reactions, oldest first; taken-back
// ones (empty emoji) are not shown.
func decodeReactions(doc []byte) ([]juta.Reaction, error) {
	if len(doc) == 0 {
		return nil, nil
	}
	var m map[string]reactionDoc
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, fmt.Errorf("decode reactions: %w", err)
	}
	var out []juta.Reaction
	for sender, r := range m {
		if r.Emoji != "" {
			out = append(out, juta.Reaction{Sender: sender, Emoji: r.Emoji, At: r.At})
		}
	}
	slices.SortFunc(out, func(a, b juta.Reaction) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return compareStrings(a.Sender, b.Sender)
	})
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
