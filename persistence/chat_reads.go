package persistence

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.ChatReadStore = (*DB)(nil)

// MarkChatRead implements juta.ChatReadStore. The marker is clamped to the
// chat's newest message, so a marker cannot hide messages yet to come.
func (db *DB) MarkChatRead(ctx context.Context, uid, reader juta.UserID, sid juta.SessionID, chat string, upTo int64) error {
	if !juta.StorableText(chat) || chat == "" {
		return invalid("chat must be a phone number or a WhatsApp JID")
	}
	tag, err := db.userExec(ctx, uid, `
		INSERT INTO chat_reads (user_id, session_id, chat, reader_id, last_read_id)
		SELECT s.user_id, s.id, $3, $4, coalesce((
			SELECT CASE WHEN $5::bigint > 0 THEN least($5::bigint, max(m.id)) ELSE max(m.id) END
			FROM messages m WHERE m.session_id = s.id AND m.user_id = s.user_id AND m.chat = $3), 0)
		FROM wa_sessions s WHERE s.id = $1 AND s.user_id = $2
		ON CONFLICT (session_id, reader_id, chat) DO UPDATE
		SET last_read_id = greatest(chat_reads.last_read_id, excluded.last_read_id), updated_at = now()`,
		sid, uid, chat, reader, upTo)
	if err != nil {
		return dbError(err, "mark chat read")
	}
	if tag.RowsAffected() == 0 {
		return notFound("session %d not found", sid)
	}
	return nil
}

// unreadAfter counts a chat's incoming messages after the reader's marker,
// walking messages_chat_idx and stopping at juta.MaxUnread.
var unreadAfter = `(SELECT count(*) FROM (SELECT 1 FROM messages m
	WHERE m.session_id = $1 AND m.user_id = $2 AND m.chat = c.chat AND NOT m.from_me
	  AND m.id > coalesce((SELECT r.last_read_id FROM chat_reads r
	                       WHERE r.session_id = $1 AND r.reader_id = $3 AND r.chat = c.chat), 0)
	LIMIT ` + strconv.Itoa(juta.MaxUnread) + `) x)::int`

// UnreadCounts implements juta.ChatReadStore.
func (db *DB) UnreadCounts(ctx context.Context, uid, reader juta.UserID, sid juta.SessionID, chats []string) (map[string]int, error) {
	out := make(map[string]int, len(chats))
	if len(chats) == 0 {
		return out, nil
	}
	type row struct {
		chat string
		n    int
	}
	rows, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.chat, &x.n)
	}, `SELECT c.chat, `+unreadAfter+` FROM unnest($4::text[]) AS c(chat)`, sid, uid, reader, chats)
	if err != nil {
		return nil, dbError(err, "unread counts")
	}
	for _, r := range rows {
		out[r.chat] = r.n
	}
	return out, nil
}

// UnreadTotals implements juta.ChatReadStore: the owner's unread messages,
// each chat counted up to juta.MaxUnread.
func (db *DB) UnreadTotals(ctx context.Context, uid juta.UserID) ([]juta.SessionUnread, error) {
	out, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.SessionUnread, error) {
		var x juta.SessionUnread
		return x, r.Scan(&x.SessionID, &x.Unread)
	}, `SELECT session_id, sum(least(n, $2))::int FROM (
			SELECT m.session_id, m.chat, count(*) AS n
			FROM messages m
			LEFT JOIN chat_reads r ON r.session_id = m.session_id AND r.chat = m.chat AND r.reader_id = $1
			WHERE m.user_id = $1 AND NOT m.from_me AND m.id > coalesce(r.last_read_id, 0)
			GROUP BY m.session_id, m.chat) g
		GROUP BY session_id ORDER BY session_id`, uid, juta.MaxUnread)
	if err != nil {
		return nil, dbError(err, "unread totals")
	}
	if out == nil {
		out = []juta.SessionUnread{}
	}
	return out, nil
}
