package persistence

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/juta-app/juta"
)

// msgKey identifies a message for deduplication. user_id is part of it so
// that a request naming someone else's session never borrows the owner's row.
type msgKey struct {
	user   juta.UserID
	sess   juta.SessionID
	chat   string
	sender string
	waID   string
}

func keyOf(m juta.Message) msgKey {
	return msgKey{m.UserID, m.SessionID, m.Chat, m.Sender, m.WAID}
}

func compareKeys(a, b msgKey) int {
	return cmp.Or(cmp.Compare(a.sess, b.sess), cmp.Compare(a.chat, b.chat), cmp.Compare(a.sender, b.sender),
		cmp.Compare(a.waID, b.waID), cmp.Compare(a.user, b.user))
}

// batchRow is one distinct message of a batch and what became of it.
type batchRow struct {
	msg      juta.Message
	found    bool // stored now or earlier, and the caller's
	inserted bool
	ev       juta.Event
}

// writeMessages stores a batch in one transaction and returns one result per
// request, in order.
func writeMessages(ctx context.Context, pool *pgxpool.Pool, batch []*ingestReq) ([]ingestResult, error) {
	rows, index := dedupe(batch)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := insertMessages(ctx, tx, rows, index); err != nil {
			return err
		}
		if err := fetchExisting(ctx, tx, rows, index); err != nil {
			return err
		}
		return insertMessageEvents(ctx, tx, rows)
	})
	if err != nil {
		return nil, err
	}
	return answers(batch, rows, index), nil
}

// dedupe returns the batch's distinct messages in key order (a stable order
// of unique-index insertion makes deadlocks between nodes unlikely) and the
// position of each key.
func dedupe(batch []*ingestReq) ([]*batchRow, map[msgKey]int) {
	index := make(map[msgKey]int, len(batch))
	rows := make([]*batchRow, 0, len(batch))
	for _, req := range batch {
		k := keyOf(req.msg)
		if _, ok := index[k]; !ok {
			index[k] = 0
			rows = append(rows, &batchRow{msg: req.msg})
		}
	}
	slices.SortFunc(rows, func(a, b *batchRow) int { return compareKeys(keyOf(a.msg), keyOf(b.msg)) })
	for i, r := range rows {
		index[keyOf(r.msg)] = i
	}
	return rows, index
}

// insertMessages inserts the rows whose session belongs to their user; the
// join drops the others (ENOTFOUND later) instead of failing the batch on the
// foreign key.
func insertMessages(ctx context.Context, tx pgx.Tx, rows []*batchRow, index map[msgKey]int) error {
	n := len(rows)
	uids, sids := make([]int64, n), make([]int64, n)
	chats, senders, waIDs, texts := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	fromMe, sentAt := make([]bool, n), make([]time.Time, n)
	for i, r := range rows {
		m := r.msg
		uids[i], sids[i], chats[i], senders[i], waIDs[i] = int64(m.UserID), int64(m.SessionID), m.Chat, m.Sender, m.WAID
		fromMe[i], texts[i], sentAt[i] = m.FromMe, m.Text, m.SentAt
	}
	res, err := tx.Query(ctx, `INSERT INTO messages (user_id, session_id, chat, sender, wa_id, from_me, text, sent_at)
		SELECT r.user_id, r.session_id, r.chat, r.sender, r.wa_id, r.from_me, r.text, r.sent_at
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[],
			$8::timestamptz[]) WITH ORDINALITY AS r(user_id, session_id, chat, sender, wa_id, from_me, text, sent_at, ord)
		JOIN wa_sessions s ON s.id = r.session_id AND s.user_id = r.user_id
		ORDER BY r.ord
		ON CONFLICT (session_id, chat, sender, wa_id) DO NOTHING
		RETURNING `+messageColumns, uids, sids, chats, senders, waIDs, fromMe, texts, sentAt)
	if err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}
	return collectInto(res, rows, index, true, "insert messages")
}

// fetchExisting loads the stored copies of the rows the insert skipped:
// earlier deliveries of the same message.
func fetchExisting(ctx context.Context, tx pgx.Tx, rows []*batchRow, index map[msgKey]int) error {
	var uids, sids []int64
	var chats, senders, waIDs []string
	for _, r := range rows {
		if !r.found {
			m := r.msg
			uids, sids = append(uids, int64(m.UserID)), append(sids, int64(m.SessionID))
			chats, senders, waIDs = append(chats, m.Chat), append(senders, m.Sender), append(waIDs, m.WAID)
		}
	}
	if len(uids) == 0 {
		return nil
	}
	res, err := tx.Query(ctx, `SELECT `+"m.id, m.user_id, m.session_id, m.chat, m.sender, m.wa_id, m.from_me, m.text, m.sent_at, m.stored_at"+`
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS k(user_id, session_id, chat, sender, wa_id)
		JOIN messages m ON m.session_id = k.session_id AND m.chat = k.chat AND m.sender = k.sender
			AND m.wa_id = k.wa_id AND m.user_id = k.user_id`, uids, sids, chats, senders, waIDs)
	if err != nil {
		return fmt.Errorf("fetch stored messages: %w", err)
	}
	return collectInto(res, rows, index, false, "fetch stored messages")
}

func collectInto(res pgx.Rows, rows []*batchRow, index map[msgKey]int, inserted bool, what string) error {
	got, err := pgx.CollectRows(res, scanMessage)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, m := range got {
		i, ok := index[keyOf(m)]
		if !ok {
			return fmt.Errorf("%s: returned a message that was not asked for", what)
		}
		rows[i].msg, rows[i].found, rows[i].inserted = m, true, inserted
	}
	return nil
}

// insertMessageEvents appends one "message" event per inserted row. Each
// user's counter is bumped once for all of its rows, users locked in id order
// so that two writers never wait on each other in a cycle.
func insertMessageEvents(ctx context.Context, tx pgx.Tx, rows []*batchRow) error {
	perUser := map[juta.UserID][]*batchRow{}
	for _, r := range rows {
		if r.inserted {
			perUser[r.msg.UserID] = append(perUser[r.msg.UserID], r)
		}
	}
	if len(perUser) == 0 {
		return nil
	}
	users := slices.Sorted(maps.Keys(perUser))
	seqs, err := bumpEventSeqs(ctx, tx, users, perUser)
	if err != nil {
		return err
	}
	var uids, cursors, sids []int64
	var data []string
	var created []time.Time
	for _, u := range users {
		own := perUser[u]
		slices.SortFunc(own, func(a, b *batchRow) int { return cmp.Compare(a.msg.ID, b.msg.ID) })
		first := seqs[u] - int64(len(own)) + 1
		for i, r := range own {
			doc, err := json.Marshal(r.msg)
			if err != nil {
				return fmt.Errorf("encode message event: %w", err)
			}
			r.ev = juta.Event{Cursor: first + int64(i), UserID: u, SessionID: r.msg.SessionID,
				Type: juta.EventMessage, Data: doc, CreatedAt: r.msg.StoredAt}
			uids, cursors, sids = append(uids, int64(u)), append(cursors, r.ev.Cursor), append(sids, int64(r.msg.SessionID))
			data, created = append(data, string(doc)), append(created, r.ev.CreatedAt)
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO events (user_id, cursor, session_id, type, data, created_at)
		SELECT e.user_id, e.cursor, e.session_id, $4, e.data::jsonb, e.created_at
		FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $5::text[], $6::timestamptz[])
			AS e(user_id, cursor, session_id, data, created_at)`,
		uids, cursors, sids, juta.EventMessage, data, created)
	if err != nil {
		return fmt.Errorf("insert message events: %w", err)
	}
	return nil
}

// bumpEventSeqs reserves len(perUser[u]) cursors for each user and returns
// each user's new counter. Lock and update travel in one round trip.
func bumpEventSeqs(ctx context.Context, tx pgx.Tx, users []juta.UserID, perUser map[juta.UserID][]*batchRow) (map[juta.UserID]int64, error) {
	ids, counts := make([]int64, len(users)), make([]int64, len(users))
	for i, u := range users {
		ids[i], counts[i] = int64(u), int64(len(perUser[u]))
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, ids)
	b.Queue(`UPDATE users u SET event_seq = u.event_seq + c.n
		FROM unnest($1::bigint[], $2::bigint[]) AS c(id, n) WHERE u.id = c.id
		RETURNING u.id, u.event_seq`, ids, counts)
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("lock users: %w", err)
	}
	res, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("bump event counters: %w", err)
	}
	seqs := make(map[juta.UserID]int64, len(users))
	var id, seq int64
	_, err = pgx.ForEachRow(res, []any{&id, &seq}, func() error {
		seqs[juta.UserID(id)] = seq
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bump event counters: %w", err)
	}
	if len(seqs) != len(users) {
		// Rows were inserted for these users a moment ago: a missing user
		// means a concurrent delete, and the whole batch must retry.
		return nil, fmt.Errorf("bump event counters: %d of %d users found", len(seqs), len(users))
	}
	return seqs, br.Close()
}

// answers maps the rows back to requests. Only the first request of a
// duplicated key reports inserted=true and carries the event.
func answers(batch []*ingestReq, rows []*batchRow, index map[msgKey]int) []ingestResult {
	out := make([]ingestResult, len(batch))
	claimed := make([]bool, len(rows))
	for i, req := range batch {
		j := index[keyOf(req.msg)]
		r := rows[j]
		switch {
		case !r.found:
			out[i].err = notFound("session %d not found", req.msg.SessionID)
		case r.inserted && !claimed[j]:
			claimed[j] = true
			out[i] = ingestResult{stored: r.msg, ev: r.ev, inserted: true}
		default:
			out[i] = ingestResult{stored: r.msg}
		}
	}
	return out
}
