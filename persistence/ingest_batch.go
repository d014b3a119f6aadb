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
	token    int64 // the fencing token it is written under; 0 without cluster mode
	stale    bool  // refused: token is no longer the user's lease
	ev       juta.Event
}

// writeMessages stores a batch in one transaction and returns one result per
// request, in order. The statements travel in three round trips (begin with
// the insert; the lookup of earlier copies, the counter bump and the events;
// the commit) because round trips, not rows, dominate a small batch.
func writeMessages(ctx context.Context, pool *pgxpool.Pool, batch []*ingestReq) ([]ingestResult, error) {
	rows, index := dedupe(batch)
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquire connection: %w", err)
	}
	// A connection left inside a failed transaction is destroyed on release.
	defer conn.Release()

	fences := rowFences(rows)
	held := make(map[juta.Fence]bool, len(fences))
	first := &pgx.Batch{}
	first.BeginTx(pgx.TxOptions{})
	queueCheckFences(first, fences, held)
	if err := queueInsertMessages(first, rows, index, len(fences) > 0); err != nil {
		return nil, err
	}
	br := conn.SendBatch(ctx, first)
	tx := br.Tx()
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	if err := br.Close(); err != nil {
		return nil, fmt.Errorf("insert messages: %w", err)
	}
	markStale(rows, held)

	second := &pgx.Batch{}
	queueFetchExisting(second, rows, index)
	users, perUser := insertedByUser(rows)
	seqs := make(map[juta.UserID]int64, len(users))
	queueBumpEventSeqs(second, users, perUser, seqs)
	if err := queueMessageEvents(second, users, perUser); err != nil {
		return nil, err
	}
	if err := tx.SendBatch(ctx, second).Close(); err != nil {
		return nil, fmt.Errorf("append message events: %w", err)
	}
	if len(seqs) != len(users) {
		// Rows were inserted for these users a moment ago: a missing user
		// means a concurrent delete, and the whole batch must retry.
		return nil, fmt.Errorf("append message events: %d of %d users found", len(seqs), len(users))
	}
	setEventCursors(users, perUser, seqs)
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit messages: %w", err)
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
			token, _ := juta.FenceFor(req.ctx, req.msg.UserID)
			rows = append(rows, &batchRow{msg: req.msg, token: token})
		}
	}
	slices.SortFunc(rows, func(a, b *batchRow) int { return compareKeys(keyOf(a.msg), keyOf(b.msg)) })
	for i, r := range rows {
		index[keyOf(r.msg)] = i
	}
	return rows, index
}

// queueInsertMessages inserts the rows whose session belongs to their user;
// the join drops the others (ENOTFOUND later) instead of failing the batch on
// the foreign key.
func queueInsertMessages(b *pgx.Batch, rows []*batchRow, index map[msgKey]int, fenced bool) error {
	n := len(rows)
	uids, sids := make([]int64, n), make([]int64, n)
	chats, senders, waIDs, texts := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	fromMe, sentAt := make([]bool, n), make([]time.Time, n)
	kinds, docs, keys, names := make([]string, n), make([]string, n), make([][]byte, n), make([]string, n)
	history := make([]bool, n)
	for i, r := range rows {
		m := r.msg
		uids[i], sids[i], chats[i], senders[i], waIDs[i] = int64(m.UserID), int64(m.SessionID), m.Chat, m.Sender, m.WAID
		fromMe[i], texts[i], sentAt[i], names[i], history[i] = m.FromMe, m.Text, m.SentAt, m.SenderName, m.History
		var err error
		if kinds[i], docs[i], keys[i], err = encodeContent(&m.Content); err != nil {
			return err
		}
	}
	args := []any{uids, sids, chats, senders, waIDs, fromMe, texts, sentAt, kinds, docs, keys, names, history}
	filter := ""
	if fenced {
		filter = insertFenceFilter
		tokens := make([]int64, n)
		for i, r := range rows {
			tokens[i] = r.token
		}
		args = append(args, tokens)
	}
	// Plain text has no content document: '' becomes NULL.
	b.Queue(viewOf(`INSERT INTO messages (user_id, session_id, chat, sender, wa_id, from_me, text, sent_at, kind, content, media_key,
			sender_name, history, detected_at)
		SELECT r.user_id, r.session_id, r.chat, r.sender, r.wa_id, r.from_me, r.text, r.sent_at,
			r.kind, nullif(r.content, '')::jsonb, r.media_key, r.sender_name, r.history,
			CASE WHEN r.history THEN now() END
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[],
			$8::timestamptz[], $9::text[], $10::text[], $11::bytea[], $12::text[], $13::bool[])
			WITH ORDINALITY AS r(user_id, session_id, chat, sender, wa_id, from_me, text, sent_at, kind, content, media_key,
				sender_name, history, ord)
		JOIN wa_sessions s ON s.id = r.session_id AND s.user_id = r.user_id`+filter+`
		ORDER BY r.ord
		ON CONFLICT (session_id, chat, sender, wa_id) DO NOTHING
		RETURNING *`), args...).
		Query(func(res pgx.Rows) error { return collectInto(res, rows, index, true) })
	return nil
}

// queueFetchExisting loads the stored copies of the rows the insert skipped:
// earlier deliveries of the same message. It must run after the insert.
func queueFetchExisting(b *pgx.Batch, rows []*batchRow, index map[msgKey]int) {
	var uids, sids []int64
	var chats, senders, waIDs []string
	for _, r := range rows {
		if !r.found && !r.stale {
			m := r.msg
			uids, sids = append(uids, int64(m.UserID)), append(sids, int64(m.SessionID))
			chats, senders, waIDs = append(chats, m.Chat), append(senders, m.Sender), append(waIDs, m.WAID)
		}
	}
	if len(uids) == 0 {
		return
	}
	b.Queue(messageView(`(SELECT m.* FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])
			AS k(user_id, session_id, chat, sender, wa_id)
		JOIN messages m ON m.session_id = k.session_id AND m.chat = k.chat AND m.sender = k.sender
			AND m.wa_id = k.wa_id AND m.user_id = k.user_id)`), uids, sids, chats, senders, waIDs).
		Query(func(res pgx.Rows) error { return collectInto(res, rows, index, false) })
}

func collectInto(res pgx.Rows, rows []*batchRow, index map[msgKey]int, inserted bool) error {
	got, err := pgx.CollectRows(res, scanView)
	if err != nil {
		return err
	}
	for _, m := range got {
		i, ok := index[keyOf(m)]
		if !ok {
			return fmt.Errorf("database returned message %d that was not asked for", m.ID)
		}
		rows[i].msg, rows[i].found, rows[i].inserted = m, true, inserted
	}
	return nil
}

// insertedByUser groups the inserted rows by user, users in id order and
// each user's rows in message id order (the order of their cursors).
func insertedByUser(rows []*batchRow) ([]juta.UserID, map[juta.UserID][]*batchRow) {
	perUser := map[juta.UserID][]*batchRow{}
	for _, r := range rows {
		if r.inserted {
			perUser[r.msg.UserID] = append(perUser[r.msg.UserID], r)
		}
	}
	for _, own := range perUser {
		slices.SortFunc(own, func(a, b *batchRow) int { return cmp.Compare(a.msg.ID, b.msg.ID) })
	}
	return slices.Sorted(maps.Keys(perUser)), perUser
}

// queueBumpEventSeqs reserves len(perUser[u]) cursors for each user and
// records each user's new counter in seqs. Users are locked in id order so
// that two writers never wait on each other in a cycle.
func queueBumpEventSeqs(b *pgx.Batch, users []juta.UserID, perUser map[juta.UserID][]*batchRow, seqs map[juta.UserID]int64) {
	if len(users) == 0 {
		return
	}
	ids, counts := make([]int64, len(users)), make([]int64, len(users))
	for i, u := range users {
		ids[i], counts[i] = int64(u), int64(len(perUser[u]))
	}
	b.Queue(`SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, ids)
	b.Queue(`UPDATE users u SET event_seq = u.event_seq + c.n
		FROM unnest($1::bigint[], $2::bigint[]) AS c(id, n) WHERE u.id = c.id
		RETURNING u.id, u.event_seq`, ids, counts).
		Query(func(res pgx.Rows) error {
			var id, seq int64
			_, err := pgx.ForEachRow(res, []any{&id, &seq}, func() error {
				seqs[juta.UserID(id)] = seq
				return nil
			})
			return err
		})
}

// queueMessageEvents appends one "message" event (data: the stored message
// as JSON) per inserted row. It must follow queueBumpEventSeqs in the same
// transaction: a user's rows take the n cursors just reserved, ending at the
// new counter, in message id order (the same numbers setEventCursors gives).
func queueMessageEvents(b *pgx.Batch, users []juta.UserID, perUser map[juta.UserID][]*batchRow) error {
	if len(users) == 0 {
		return nil
	}
	var uids, ranks, counts, sids []int64
	var data []string
	var created []time.Time
	for _, u := range users {
		own := perUser[u]
		for i, r := range own {
			doc, err := json.Marshal(r.msg)
			if err != nil {
				return fmt.Errorf("encode message event: %w", err)
			}
			r.ev = juta.Event{UserID: u, SessionID: r.msg.SessionID, Type: juta.EventMessage, Data: doc,
				CreatedAt: r.msg.StoredAt}
			uids, ranks, counts = append(uids, int64(u)), append(ranks, int64(i+1)), append(counts, int64(len(own)))
			sids, data, created = append(sids, int64(r.msg.SessionID)), append(data, string(doc)), append(created, r.ev.CreatedAt)
		}
	}
	b.Queue(`INSERT INTO events (user_id, cursor, session_id, type, data, created_at)
		SELECT e.user_id, u.event_seq - e.n + e.rank, e.session_id, $1, e.data::jsonb, e.created_at
		FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::timestamptz[])
			AS e(user_id, rank, n, session_id, data, created_at)
		JOIN users u ON u.id = e.user_id`,
		juta.EventMessage, uids, ranks, counts, sids, data, created)
	return nil
}

// setEventCursors gives each inserted row's event the cursor the events
// insert computed from the same counters.
func setEventCursors(users []juta.UserID, perUser map[juta.UserID][]*batchRow, seqs map[juta.UserID]int64) {
	for _, u := range users {
		own := perUser[u]
		for i, r := range own {
			r.ev.Cursor = seqs[u] - int64(len(own)) + int64(i+1)
		}
	}
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
		case r.stale:
			out[i].err = fmt.Errorf("store message: %w", juta.ErrStaleLease)
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
