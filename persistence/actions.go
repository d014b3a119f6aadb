package persistence

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	juta "github.com/juta-app/juta"
)

var _ juta.ActionStore = (*DB)(nil)

const actionColumns = `id, user_id, session_id, message_id, type, title, status, due_at, repeat, people,
	coalesce(amount::text, ''), currency, confidence, span, draft, snooze_until, notify, created_at, updated_at,
	coalesce((SELECT m.chat FROM messages m WHERE m.id = actions.message_id), '')`

func scanAction(row pgx.CollectableRow) (juta.Action, error) {
	var a juta.Action
	var typ, status string
	var conf float32
	err := row.Scan(&a.ID, &a.UserID, &a.SessionID, &a.MessageID, &typ, &a.Title, &status, &a.DueAt, &a.Repeat, &a.People,
		&a.Amount, &a.Currency, &conf, &a.Span, &a.Draft, &a.SnoozeUntil, &a.Notify, &a.CreatedAt, &a.UpdatedAt,
		&a.Chat)
	// real is float32: round so 0.6 reads back as 0.6, not 0.6000000238.
	a.Type, a.Status, a.Confidence = juta.ActionType(typ), juta.ActionStatus(status), math.Round(float64(conf)*1e4)/1e4
	return a, err
}

// SaveDetection flips the message to detected and stores its actions, once.
func (db *DB) SaveDetection(ctx context.Context, d juta.Detection) ([]juta.Action, []juta.Event, bool, error) {
	m := d.Message
	var stored []juta.Action
	var evs []juta.Event
	applied := false
	err := db.logTx(ctx, m.UserID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE messages SET detected_at = now()
			WHERE id = $1 AND user_id = $2 AND detected_at IS NULL`, m.ID, m.UserID)
		if err != nil || tag.RowsAffected() == 0 {
			return err // already detected (or gone): nothing to do
		}
		applied = true
		for _, a := range d.Actions {
			a.UserID, a.SessionID, a.MessageID = m.UserID, m.SessionID, m.ID
			saved, ev, ok, err := insertAction(ctx, tx, a)
			if err != nil {
				return err
			}
			if ok {
				stored, evs = append(stored, saved), append(evs, ev)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, false, dbError(err, "save detection")
	}
	return stored, evs, applied, nil
}

// insertAction stores one action with its event; a second action of the same
// type for the message is skipped (ok=false).
func insertAction(ctx context.Context, tx pgx.Tx, a juta.Action) (juta.Action, juta.Event, bool, error) {
	if err := validateAction(a); err != nil {
		return juta.Action{}, juta.Event{}, false, err
	}
	rows, err := tx.Query(ctx, `INSERT INTO actions (user_id, session_id, message_id, type, title, due_at, people,
			amount, currency, confidence, span, draft, repeat)
		VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, '')::numeric, $9, $10, $11, $12, $13)
		ON CONFLICT (message_id, type) DO NOTHING
		RETURNING `+actionColumns,
		a.UserID, a.SessionID, a.MessageID, string(a.Type), a.Title, a.DueAt, nonNil(a.People), a.Amount,
		a.Currency, a.Confidence, a.Span, a.Draft, a.Repeat)
	if err != nil {
		return juta.Action{}, juta.Event{}, false, err
	}
	saved, err := pgx.CollectRows(rows, scanAction)
	if err != nil || len(saved) == 0 {
		return juta.Action{}, juta.Event{}, false, err
	}
	ev, err := actionEvent(ctx, tx, saved[0], juta.EventActionCreated)
	return saved[0], ev, err == nil, err
}

func actionEvent(ctx context.Context, tx pgx.Tx, a juta.Action, typ string) (juta.Event, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return juta.Event{}, fmt.Errorf("encode action: %w", err)
	}
	return appendEvents(ctx, tx, a.UserID, a.SessionID, typ, data)
}

func validateAction(a juta.Action) error {
	switch a.Type {
	case juta.ActionMeeting, juta.ActionReminder, juta.ActionPayment, juta.ActionTask, juta.ActionReplyNeeded:
	default:
		return invalid("unknown action type %q", a.Type)
	}
	if strings.TrimSpace(a.Title) == "" || a.Confidence < 0 || a.Confidence > 1 {
		return invalid("action needs a title and a confidence in 0..1")
	}
	if a.Repeat != "" {
		if _, err := juta.ParseRule(a.Repeat); err != nil {
			return err
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// PendingDetections returns incoming messages not yet detected, oldest first,
// with their chat context. The detection queue spans users: it runs as the
// connecting role.
func (db *DB) PendingDetections(ctx context.Context, limit, n int, on *juta.Holder) ([]juta.DetectInput, error) {
	node, inc := heldBy(on)
	rows, err := db.pool.Query(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE detected_at IS NULL AND NOT from_me AND `+heldFilter("messages", 2)+` ORDER BY id LIMIT $1`,
		clamp(limit, 100, 1000), node, inc)
	if err != nil {
		return nil, dbError(err, "list undetected messages")
	}
	msgs, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return nil, dbError(err, "list undetected messages")
	}
	out := make([]juta.DetectInput, 0, len(msgs))
	for _, m := range msgs {
		in := juta.DetectInput{Message: m}
		if n > 0 {
			if in.Context, err = db.contextBefore(ctx, m, n); err != nil {
				return nil, err
			}
		}
		out = append(out, in)
	}
	return out, nil
}

// contextBefore returns up to n messages of m's chat before it, oldest first.
func (db *DB) contextBefore(ctx context.Context, m juta.Message, n int) ([]juta.Message, error) {
	rows, err := db.pool.Query(ctx, `SELECT * FROM (SELECT `+messageColumns+` FROM messages
		WHERE session_id = $1 AND user_id = $2 AND chat = $3 AND id < $4 ORDER BY id DESC LIMIT $5) c ORDER BY id`,
		m.SessionID, m.UserID, m.Chat, m.ID, n)
	if err != nil {
		return nil, dbError(err, "load chat context")
	}
	list, err := pgx.CollectRows(rows, scanMessage)
	return list, dbError(err, "load chat context")
}

// ClaimDueActions fires due reminders and meetings exactly once across nodes:
// SKIP LOCKED hands each row to one claimer, and fired_at is set with the
// action.due event in the same transaction. The schedule spans users: it runs
// as the connecting role.
func (db *DB) ClaimDueActions(ctx context.Context, now time.Time, limit int, on *juta.Holder) ([]juta.Action, []juta.Event, error) {
	node, inc := heldBy(on)
	var fired []juta.Action
	var evs, extra []juta.Event
	err := db.systemLogTx(ctx, func(tx pgx.Tx) error {
		extra = extra[:0]
		rows, err := tx.Query(ctx, `UPDATE actions SET fired_at = now(), updated_at = now()
			WHERE id IN (SELECT id FROM actions
				WHERE fired_at IS NULL AND type IN ('reminder', 'meeting') AND status IN ('pending', 'accepted')
				  AND coalesce(snooze_until, due_at) <= $1 AND `+heldFilter("actions", 3)+`
				ORDER BY coalesce(snooze_until, due_at) LIMIT $2 FOR UPDATE SKIP LOCKED)
			RETURNING `+actionColumns, now, clamp(limit, 100, 1000), node, inc)
		if err != nil {
			return err
		}
		if fired, err = pgx.CollectRows(rows, scanAction); err != nil {
			return err
		}
		// Users' counters are locked in id order, as every other writer does.
		slices.SortStableFunc(fired, func(a, b juta.Action) int { return cmp.Compare(a.UserID, b.UserID) })
		for _, a := range fired {
			ev, err := actionEvent(ctx, tx, a, juta.EventActionDue)
			if err != nil {
				return err
			}
			evs = append(evs, ev)
			if a.Repeat == "" {
				continue
			}
			if ev, ok, err := scheduleNext(ctx, tx, a); err != nil {
				return err
			} else if ok {
				extra = append(extra, ev)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, dbError(err, "claim due actions")
	}
	return fired, append(evs, extra...), nil
}

// scheduleNext moves a repeating action that came due to its next
// occurrence, in the user's zone, and logs it as action.updated. A rule that
// no longer reads or has no next occurrence leaves the action fired.
func scheduleNext(ctx context.Context, tx pgx.Tx, a juta.Action) (juta.Event, bool, error) {
	rule, err := juta.ParseRule(a.Repeat)
	if err != nil || a.DueAt == nil {
		return juta.Event{}, false, nil
	}
	var zone string
	if err := tx.QueryRow(ctx, `SELECT time_zone FROM users WHERE id = $1`, a.UserID).Scan(&zone); err != nil {
		return juta.Event{}, false, err
	}
	loc, err := juta.LoadZone(zone)
	if err != nil {
		loc = time.UTC
	}
	next, ok := rule.Next(a.DueAt.In(loc))
	if !ok {
		return juta.Event{}, false, nil
	}
	rows, err := tx.Query(ctx, `UPDATE actions SET due_at = $2, snooze_until = NULL, fired_at = NULL, updated_at = now()
		WHERE id = $1 RETURNING `+actionColumns, a.ID, next)
	if err != nil {
		return juta.Event{}, false, err
	}
	moved, err := pgx.CollectExactlyOneRow(rows, scanAction)
	if err != nil {
		return juta.Event{}, false, err
	}
	ev, err := actionEvent(ctx, tx, moved, juta.EventActionUpdated)
	return ev, err == nil, err
}

// heldFilter keeps rows of table whose user the holder (parameters $i: node,
// $i+1: incarnation, from heldBy) holds a live lease of, or whose user no
// node holds (not placed: whoever claims first does the work), or every row
// when the node is null (single-node mode).
func heldFilter(table string, i int) string {
	return fmt.Sprintf(`($%[1]d::text IS NULL OR %[3]s.user_id IN (SELECT l.user_id FROM leases l
		WHERE l.node = $%[1]d AND l.incarnation = $%[2]d AND l.expires_at > now())
		OR NOT EXISTS (SELECT 1 FROM leases l WHERE l.user_id = %[3]s.user_id AND l.expires_at > now()))`, i, i+1, table)
}

func heldBy(on *juta.Holder) (*string, int64) {
	if on == nil {
		return nil, 0
	}
	return &on.Node, on.Incarnation
}

// UnfireAction clears fired_at of a reminder whose send failed, so that it is
// claimed again.
func (db *DB) UnfireAction(ctx context.Context, uid juta.UserID, id int64) error {
	_, err := db.pool.Exec(ctx, `UPDATE actions SET fired_at = NULL, updated_at = now()
		WHERE id = $1 AND user_id = $2 AND fired_at IS NOT NULL`, id, uid)
	return dbError(err, "unfire action")
}
