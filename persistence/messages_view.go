package persistence

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// messageView is the one way a message is read for clients (list and
// single reads, the answers of sends and changes, and every message.*
// event): the message rows of src (a table, subquery or CTE, aliased m)
// with what a read adds beside the row. For a message of someone else, that
// is the name the user saved its sender under, as stored now (a name saved
// later shows on older messages). For a reply, it is also the message it
// quotes when the session stores it in the same chat: its id, its kind and
// the start of its text (none once deleted). The reply keeps only the
// quoted message's WhatsApp id, so a quoted message stored later (history)
// shows as well. A message with reactions also reads the session's own
// number, which tells the user's own reaction from the others' (the
// session's phone is the one record of who the user is on WhatsApp).
//
// The quote and the own number are subqueries behind a CASE, which
// PostgreSQL does not start for a row that is no reply or has no reactions:
// a lateral join would be rescanned for every row of a page, and cost a list
// of plain texts about a fifth of its time in the database.
//
// messageView reads the saved name with a join, for the writes' answers and
// events, whose rows may span sessions. Reads of one session (lists,
// searches, chats, one message) use sessionView instead.
func messageView(src string) string {
	return viewSelect(src, `coalesce(n.contact_name, '')`) + `
		LEFT JOIN contact_names n ON NOT m.from_me AND n.session_id = m.session_id AND n.user_id = m.user_id
			AND n.address = m.sender`
}

// sessionView is messageView for the rows of one session, whose id is the
// statement's $1 and its user's $2: instead of a saved name, each row carries
// the session's names version, and the saved names come from the store's
// cache (savedNames.fill). A probe of contact_names per row was up to 40% of the
// database's time for a page of 50.
func sessionView(src string) string {
	return viewSelect(src, `coalesce((SELECT w.names_version FROM wa_sessions w WHERE w.id = $1 AND w.user_id = $2), 0)`)
}

// viewSelect selects the rows of src with named (the saved name or the
// names version), the quote and the own number.
func viewSelect(src, named string) string {
	return `SELECT ` + prefixed("m.", messageColumns) + `, ` + named + `,
			CASE WHEN m.content -> 'quote' IS NOT NULL THEN (SELECT ARRAY[q.id::text, q.kind,
					CASE WHEN q.deleted_at IS NULL THEN left(q.text, ` + strconv.Itoa(juta.QuotePreviewLen) + `) END]
				FROM messages q
				WHERE q.session_id = m.session_id AND q.user_id = m.user_id
					AND q.chat = m.chat AND q.wa_id = m.content -> 'quote' ->> 'waId'
				ORDER BY q.id LIMIT 1) END,
			CASE WHEN m.reactions IS NOT NULL THEN (SELECT w.phone FROM wa_sessions w WHERE w.id = m.session_id AND w.user_id = m.user_id) END
		FROM ` + src + ` m`
}

// viewOf is messageView over the rows a data-modifying statement returns
// (RETURNING *), as the changes and the ingest read them back.
func viewOf(statement string) string {
	return `WITH changed AS (` + statement + `) ` + messageView("changed")
}

// viewScanner scans messageView's columns.
type viewScanner struct {
	messageScanner
	quoted  []*string // id, kind, preview of the quoted message; nil when not stored
	own     *string
	session bool  // the rows are sessionView's
	version int64 // sessionView's names version
}

func (s *viewScanner) scan(row pgx.Row, m *juta.Message) error {
	s.quoted, s.own = s.quoted[:0], nil
	named := any(&m.ContactName)
	if s.session {
		named = &s.version
	}
	if err := s.messageScanner.scanWith(row, m, named, &s.quoted, &s.own); err != nil {
		return err
	}
	for i := range m.Reactions {
		m.Reactions[i].FromMe = s.own != nil && *s.own != "" && m.Reactions[i].Sender == *s.own
	}
	if q := m.Quote; q != nil && len(s.quoted) == 3 && s.quoted[0] != nil && s.quoted[1] != nil {
		id, err := strconv.ParseInt(*s.quoted[0], 10, 64)
		if err != nil {
			return fmt.Errorf("quoted message id %q: %w", *s.quoted[0], err)
		}
		r := *q
		r.ID, r.Kind = id, juta.MessageKind(*s.quoted[1])
		if s.quoted[2] != nil {
			r.Preview = *s.quoted[2]
		}
		m.Quote = &r
	}
	return nil
}

// sessionRows runs a sessionView query for uid's session sid, scanning up to
// n rows (a capacity hint) in place, and fills their saved names.
func sessionRows(ctx context.Context, db *DB, uid juta.UserID, sid juta.SessionID, n int, sql string, args ...any) ([]juta.Message, error) {
	s := &viewScanner{session: true}
	items, err := userRowsInto(ctx, db, uid, n, s.scan, sql, args...)
	if err != nil || len(items) == 0 {
		return items, err
	}
	return items, db.names.fill(ctx, db, uid, sid, s.version, items)
}

// scanView scans one messageView row, for pgx.CollectRows.
func scanView(row pgx.CollectableRow) (juta.Message, error) {
	var m juta.Message
	err := new(viewScanner).scan(row, &m)
	return m, err
}
