package persistence

import (
	"context"
	"strings"

	"github.com/juta-app/juta"
)

var _ juta.MessageSearcher = (*DB)(nil)

// maxSearchLen bounds the searched text; longer patterns only cost time.
const maxSearchLen = 256

// SearchMessages lists a session's messages matching q newest first, with the
// cursors of Messages. q.Text matches as a case-insensitive substring (served
// by the trigram index); q.Chat names one chat exactly. ENOTFOUND when the
// session is absent or another user's; EINVALID for a bad cursor or a text
// longer than 256 bytes.
func (db *DB) SearchMessages(ctx context.Context, uid juta.UserID, sid juta.SessionID, q juta.MessageQuery, cursor string, limit int) (juta.Page[juta.Message], error) {
	before, err := decodeCursor(cursor)
	if err != nil {
		return juta.Page[juta.Message]{}, err
	}
	if len(q.Text) > maxSearchLen {
		return juta.Page[juta.Message]{}, invalid("search text is too long")
	}
	limit = clamp(limit, defaultMessageLimit, maxMessageLimit)
	// Empty filters are written as NULL so one statement serves every shape.
	items, err := sessionRows(ctx, db, uid, sid, min(limit+1, 64), sessionView(`(SELECT * FROM messages
		WHERE session_id = $1 AND user_id = $2 AND id < $3
		  AND ($4::text IS NULL OR chat = $4)
		  AND ($5::text IS NULL OR text ILIKE $5)
		ORDER BY id DESC LIMIT $6)`)+` ORDER BY m.id DESC`,
		sid, uid, pageBound(before), nullIfEmpty(q.Chat), likePattern(q.Text), limit+1)
	if err != nil {
		return juta.Page[juta.Message]{}, dbError(err, "search messages")
	}
	if len(items) == 0 && before == 0 {
		if _, err := db.Session(ctx, uid, sid); err != nil {
			return juta.Page[juta.Message]{}, err
		}
	}
	return pageOf(items, limit, messageID), nil
}

// likePattern turns text into an ILIKE substring pattern whose wildcards are
// literal; nil for no text filter.
func likePattern(text string) *string {
	if text == "" {
		return nil
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	p := "%" + r.Replace(text) + "%"
	return &p
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = p + c
	}
	return strings.Join(cols, ", ")
}
