package persistence

import (
	"context"

	"github.com/juta-app/juta"
)

var _ juta.ChatStore = (*DB)(nil)

// Chats lists a session's chats with their latest message, newest first by
// that message's id (the order in which messages were stored, as Messages
// uses). The cursor is the id of the last chat's latest message on the
// previous page; limit 0 means 50, clamped to 1..200. ENOTFOUND when the
// session is absent or another user's.
func (db *DB) Chats(ctx context.Context, uid juta.UserID, sid juta.SessionID, cursor string, limit int) (juta.Page[juta.Chat], error) {
	before, err := decodeCursor(cursor)
	if err != nil {
		return juta.Page[juta.Chat]{}, err
	}
	limit = clamp(limit, defaultMessageLimit, maxMessageLimit)
	// The grouping walks messages_chat_idx (session_id, chat, id DESC); a
	// chat's latest message is the one with its highest id.
	msgs, err := sessionRows(ctx, db, uid, sid, limit+1, sessionView(`(SELECT m.*
		FROM (SELECT max(id) AS last_id FROM messages
		      WHERE session_id = $1 AND user_id = $2 GROUP BY chat) c
		JOIN messages m ON m.id = c.last_id
		WHERE c.last_id < $3
		ORDER BY c.last_id DESC LIMIT $4)`)+` ORDER BY m.id DESC`, sid, uid, pageBound(before), limit+1)
	if err != nil {
		return juta.Page[juta.Chat]{}, dbError(err, "list chats")
	}
	if len(msgs) == 0 && before == 0 {
		if _, err := db.Session(ctx, uid, sid); err != nil {
			return juta.Page[juta.Chat]{}, err
		}
	}
	page := juta.Page[juta.Chat]{Items: make([]juta.Chat, 0, min(len(msgs), limit))}
	for i, m := range msgs {
		if i == limit {
			page.NextCursor = encodeCursor(msgs[limit-1].ID)
			break
		}
		page.Items = append(page.Items, juta.Chat{SessionID: m.SessionID, Chat: m.Chat, LastMessage: m})
	}
	if err := db.nameChats(ctx, uid, sid, page.Items); err != nil {
		return juta.Page[juta.Chat]{}, err
	}
	return page, nil
}
