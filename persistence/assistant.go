package persistence

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/juta-app/juta"
)

var _ juta.AssistantData = (*DB)(nil)

// maxLookupIDs bounds MessagesByID; an assistant cites a handful.
const maxLookupIDs = maxMessageLimit

// FindMessages lists the user's messages across all their sessions that match
// f, newest (by sent_at) first. EINVALID when a text filter exceeds 256 bytes.
func (db *DB) FindMessages(ctx context.Context, uid juta.UserID, f juta.MessageFilter) ([]juta.Message, error) {
	for _, s := range []string{f.Contact, f.Chat, f.Sender, f.Text} {
		if len(s) > maxSearchLen {
			return nil, invalid("message filter is too long")
		}
	}
	limit := clamp(f.Limit, defaultMessageLimit, maxMessageLimit)
	// The session subquery lets each session's (session_id, id) index serve
	// the scan; user_id is filtered again so no other user's row can match.
	// Empty filters are NULL so one statement serves every shape.
	items, err := userRows(ctx, db, uid, scanMessage, `SELECT `+messageColumns+` FROM messages
		WHERE session_id IN (SELECT id FROM wa_sessions WHERE user_id = $1) AND user_id = $1
		  AND ($2::text IS NULL OR chat ~* $2 OR sender ~* $2)
		  AND ($3::text IS NULL OR chat = $3)
		  AND ($4::text IS NULL OR sender = $4)
		  AND ($5::text IS NULL OR text ILIKE $5)
		  AND ($6::timestamptz IS NULL OR sent_at >= $6)
		  AND ($7::timestamptz IS NULL OR sent_at < $7)
		ORDER BY sent_at DESC, id DESC LIMIT $8`,
		uid, contactPattern(f.Contact), nullIfEmpty(f.Chat), nullIfEmpty(f.Sender), likePattern(f.Text),
		nullTime(f.Since), nullTime(f.Until), limit)
	if err != nil {
		return nil, dbError(err, "find messages")
	}
	if items == nil {
		items = []juta.Message{}
	}
	return items, nil
}

// MessagesByID returns the user's messages among ids in the order of ids,
// leaving out unknown ids and other users' messages. At most 200 ids are read.
func (db *DB) MessagesByID(ctx context.Context, uid juta.UserID, ids []int64) ([]juta.Message, error) {
	ids = uniqueIDs(ids, maxLookupIDs)
	if len(ids) == 0 {
		return []juta.Message{}, nil
	}
	found, err := userRows(ctx, db, uid, scanMessage, `SELECT `+messageColumns+` FROM messages
		WHERE id = ANY($2) AND user_id = $1`, uid, ids)
	if err != nil {
		return nil, dbError(err, "messages by id")
	}
	byID := make(map[int64]juta.Message, len(found))
	for _, m := range found {
		byID[m.ID] = m
	}
	out := make([]juta.Message, 0, len(found))
	for _, id := range ids {
		if m, ok := byID[id]; ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// contactPattern is the regular expression of a contact filter: a phone
// number matches whole, in any form (juta.PhonePattern), so "+60123456789"
// finds "60123456789@s.whatsapp.net" but never "+601234567890"; anything else
// matches as a case-insensitive substring.
func contactPattern(contact string) *string {
	contact = strings.TrimSpace(contact)
	if contact == "" {
		return nil
	}
	if p, ok := juta.PhonePattern(contact); ok {
		return &p
	}
	p := regexp.QuoteMeta(contact)
	return &p
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// uniqueIDs keeps the first max distinct positive ids, in order.
func uniqueIDs(ids []int64, max int) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, min(len(ids), max))
	for _, id := range ids {
		if id <= 0 || seen[id] {
			continue
		}
		if len(out) == max {
			break
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
