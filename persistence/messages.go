package persistence

import (
	"context"
	"encoding/base64"
	"math"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// Bounds of page sizes.
const (
	defaultMessageLimit = 50
	maxMessageLimit     = 200
)

const messageColumns = "id, user_id, session_id, chat, sender, wa_id, from_me, text, sent_at, stored_at, kind, content, media_key, " +
	"status, edited_at, deleted_at, reactions, sender_name, history, transcript"

// messageColumnCount is the number of messageColumns.
const messageColumnCount = 20

// Messages lists a session's messages newest first (by id). cursor is the
// NextCursor of the previous page ("" for the first), EINVALID when malformed.
// limit 0 means 50; it is clamped to 1..200. ENOTFOUND when the session is
// absent or another user's.
func (db *DB) Messages(ctx context.Context, uid juta.UserID, sid juta.SessionID, cursor string, limit int) (juta.Page[juta.Message], error) {
	before, err := decodeCursor(cursor)
	if err != nil {
		return juta.Page[juta.Message]{}, err
	}
	limit = clamp(limit, defaultMessageLimit, maxMessageLimit)
	// One extra row tells whether another page follows.
	items, err := sessionRows(ctx, db, uid, sid, limit+1, sessionView(`(SELECT * FROM messages
		WHERE session_id = $1 AND user_id = $2 AND id < $3
		ORDER BY id DESC LIMIT $4)`)+` ORDER BY m.id DESC`, sid, uid, pageBound(before), limit+1)
	if err != nil {
		return juta.Page[juta.Message]{}, dbError(err, "list messages")
	}
	if len(items) == 0 && before == 0 {
		// Distinguish an empty session from one the caller may not see.
		if _, err := db.Session(ctx, uid, sid); err != nil {
			return juta.Page[juta.Message]{}, err
		}
	}
	return pageOf(items, limit, messageID), nil
}

// RecentMessages returns up to n (at most 200) latest messages of one chat,
// oldest first. Another user's session yields no messages.
func (db *DB) RecentMessages(ctx context.Context, uid juta.UserID, sid juta.SessionID, chat string, n int) ([]juta.Message, error) {
	if n <= 0 {
		return []juta.Message{}, nil
	}
	n = min(n, maxMessageLimit)
	items, err := userRowsInto(ctx, db, uid, n, scanMessageRows(), `SELECT `+messageColumns+` FROM messages
		WHERE session_id = $1 AND user_id = $2 AND chat = $3 ORDER BY id DESC LIMIT $4`, sid, uid, chat, n)
	if err != nil {
		return nil, dbError(err, "recent messages")
	}
	slices.Reverse(items)
	return items, nil
}

func scanMessage(row pgx.CollectableRow) (juta.Message, error) {
	var m juta.Message
	err := new(messageScanner).scan(row, &m)
	return m, err
}

// messageScanner scans messageColumns into messages reusing one argument
// list, which a plain Scan call would allocate per row.
type messageScanner struct {
	args                [messageColumnCount]any
	extra               []any // args and the extra columns of a view
	uid, sid            int64 // scanned as int64: pgx converts named types by reflection
	kind                string
	status              *string
	doc, key, reactions []byte
}

func (s *messageScanner) scan(row pgx.Row, m *juta.Message) error { return s.scanWith(row, m) }

// scanWith scans messageColumns followed by the columns of extra.
func (s *messageScanner) scanWith(row pgx.Row, m *juta.Message, extra ...any) error {
	s.doc, s.key, s.reactions, s.status = nil, nil, nil, nil
	s.args = [messageColumnCount]any{&m.ID, &s.uid, &s.sid, &m.Chat, &m.Sender, &m.WAID, &m.FromMe, &m.Text, &m.SentAt,
		&m.StoredAt, &s.kind, &s.doc, &s.key, &s.status, &m.EditedAt, &m.DeletedAt, &s.reactions, &m.SenderName,
		&m.History, &m.Transcript}
	args := s.args[:]
	if len(extra) > 0 {
		args = append(append(s.extra[:0], args...), extra...)
		s.extra = args
	}
	if err := row.Scan(args...); err != nil {
		return err
	}
	m.UserID, m.SessionID = juta.UserID(s.uid), juta.SessionID(s.sid)
	c, err := decodeContent(s.kind, s.doc, s.key)
	if err != nil {
		return err
	}
	m.Content = c
	m.Status = ""
	if s.status != nil {
		m.Status = juta.MessageStatus(*s.status)
	} else if m.FromMe {
		m.Status = juta.StatusSent // no receipt yet
	}
	m.Reactions, err = decodeReactions(s.reactions)
	return err
}

// scanMessageRows returns a scan function for one query's rows.
func scanMessageRows() func(pgx.Row, *juta.Message) error { return new(messageScanner).scan }

// Cursors are opaque to clients so that the paging key can change later.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// pageBound is the exclusive upper id of a page: a single query shape keeps
// the index scan on (session_id, id DESC) for every page.
func pageBound(before int64) int64 {
	if before == 0 {
		return math.MaxInt64
	}
	return before
}

// decodeCursor returns the id to page before, 0 for the first page.
func decodeCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, invalid("malformed cursor")
	}
	id, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid("malformed cursor")
	}
	return id, nil
}

// Message returns one message of the user's session. ENOTFOUND when absent,
// in another session or another user's.
func (db *DB) Message(ctx context.Context, uid juta.UserID, sid juta.SessionID, id int64) (juta.Message, error) {
	items, err := sessionRows(ctx, db, uid, sid, 1, sessionView(`(SELECT * FROM messages
		WHERE session_id = $1 AND user_id = $2 AND id = $3)`), sid, uid, id)
	if err != nil {
		return juta.Message{}, dbError(err, "get message")
	}
	if len(items) == 0 {
		return juta.Message{}, notFound("message %d not found", id)
	}
	return items[0], nil
}
