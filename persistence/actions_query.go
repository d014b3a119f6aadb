package persistence

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	juta "github.com/juta-app/juta"
)

// Actions lists the user's actions newest first; the cursor is the last id.
func (db *DB) Actions(ctx context.Context, uid juta.UserID, f juta.ActionFilter, cursor string, limit int) (juta.Page[juta.Action], error) {
	limit = clamp(limit, 50, 200)
	before, err := decodeCursor(cursor)
	if err != nil {
		return juta.Page[juta.Action]{}, err
	}
	where, args := actionWhere(uid, f, before)
	args = append(args, limit+1)
	list, err := userRows(ctx, db, uid, scanAction, `SELECT `+actionColumns+` FROM actions WHERE `+where+
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return juta.Page[juta.Action]{}, dbError(err, "list actions")
	}
	return pageOf(list, limit, func(a juta.Action) int64 { return a.ID }), nil
}

// actionWhere builds the filter; every value is a bind parameter.
func actionWhere(uid juta.UserID, f juta.ActionFilter, before int64) (string, []any) {
	conds, args := []string{"user_id = $1"}, []any{uid}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if before > 0 {
		add("id < $%d", before)
	}
	if f.Status != "" {
		add("status = $%d", string(f.Status))
	}
	if f.Type != "" {
		add("type = $%d", string(f.Type))
	}
	if f.SessionID != 0 {
		add("session_id = $%d", f.SessionID)
	}
	if f.DueAfter != nil {
		add("due_at >= $%d", *f.DueAfter)
	}
	if f.DueBefore != nil {
		add("due_at < $%d", *f.DueBefore)
	}
	return strings.Join(conds, " AND "), args
}

// Action returns one of the user's actions.
func (db *DB) Action(ctx context.Context, uid juta.UserID, id int64) (juta.Action, error) {
	list, err := userRows(ctx, db, uid, scanAction,
		`SELECT `+actionColumns+` FROM actions WHERE id = $1 AND user_id = $2`, id, uid)
	if err == nil && len(list) == 0 {
		err = pgx.ErrNoRows
	}
	if err != nil {
		return juta.Action{}, dbError(err, "action")
	}
	return list[0], nil
}

// allowedMoves is the action lifecycle.
var allowedMoves = map[juta.ActionStatus][]juta.ActionStatus{
	juta.ActionPending:  {juta.ActionAccepted, juta.ActionDismissed},
	juta.ActionAccepted: {juta.ActionDone},
}

func canMove(from, to juta.ActionStatus) bool {
	for _, s := range allowedMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// UpdateAction moves an action along its lifecycle and/or snoozes it.
func (db *DB) UpdateAction(ctx context.Context, uid juta.UserID, id int64, u juta.ActionUpdate) (juta.Action, juta.Event, error) {
	return db.changeAction(ctx, uid, "update action", func(tx pgx.Tx) (pgx.Rows, error) {
		cur, err := lockAction(ctx, tx, uid, id)
		if err != nil {
			return nil, err
		}
		if u.Status != "" && u.Status != cur.Status && !canMove(cur.Status, u.Status) {
			return nil, juta.Errorf(juta.ESTATE, "an action that is %s cannot become %s", cur.Status, u.Status)
		}
		return tx.Query(ctx, `UPDATE actions SET
				status = coalesce(nullif($3, ''), status),
				snooze_until = coalesce($4, snooze_until),
				fired_at = CASE WHEN $4::timestamptz IS NOT NULL THEN NULL ELSE fired_at END,
				notify = coalesce($5, notify),
				updated_at = now()
			WHERE id = $1 AND user_id = $2 RETURNING `+actionColumns, id, uid, string(u.Status), u.SnoozeUntil, u.Notify)
	})
}

// MarkExecuted claims an action for carrying out, once, and marks it done.
func (db *DB) MarkExecuted(ctx context.Context, uid juta.UserID, id int64) (juta.Action, juta.Event, error) {
	a, ev, err := db.changeAction(ctx, uid, "execute action", func(tx pgx.Tx) (pgx.Rows, error) {
		return tx.Query(ctx, `UPDATE actions SET executed_at = now(), status = 'done', updated_at = now()
			WHERE id = $1 AND user_id = $2 AND executed_at IS NULL AND status IN ('pending', 'accepted')
			RETURNING `+actionColumns, id, uid)
	})
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		// Absent, another user's, or no longer executable: tell them apart.
		if _, lookErr := db.Action(ctx, uid, id); lookErr == nil {
			return juta.Action{}, juta.Event{}, juta.Errorf(juta.ESTATE, "action %d was already carried out or closed", id)
		}
	}
	return a, ev, err
}

// ReleaseExecution undoes MarkExecuted after a failed send.
func (db *DB) ReleaseExecution(ctx context.Context, uid juta.UserID, id int64, status juta.ActionStatus) (juta.Action, juta.Event, error) {
	return db.changeAction(ctx, uid, "release action", func(tx pgx.Tx) (pgx.Rows, error) {
		return tx.Query(ctx, `UPDATE actions SET executed_at = NULL, status = $3, updated_at = now()
			WHERE id = $1 AND user_id = $2 AND executed_at IS NOT NULL RETURNING `+actionColumns, id, uid, string(status))
	})
}

// changeAction runs one change of an action as its user: update returns the
// changed row, which is logged as action.updated in the same transaction. No
// row is ENOTFOUND.
func (db *DB) changeAction(ctx context.Context, uid juta.UserID, what string, update func(pgx.Tx) (pgx.Rows, error)) (juta.Action, juta.Event, error) {
	var a juta.Action
	var ev juta.Event
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		rows, err := update(tx)
		if err != nil {
			return err
		}
		if a, err = pgx.CollectExactlyOneRow(rows, scanAction); err != nil {
			return err
		}
		ev, err = actionEvent(ctx, tx, a, juta.EventActionUpdated)
		return err
	})
	if err != nil {
		return juta.Action{}, juta.Event{}, dbError(err, what)
	}
	return a, ev, nil
}

func lockAction(ctx context.Context, tx pgx.Tx, uid juta.UserID, id int64) (juta.Action, error) {
	rows, err := tx.Query(ctx, `SELECT `+actionColumns+` FROM actions WHERE id = $1 AND user_id = $2 FOR UPDATE`, id, uid)
	if err != nil {
		return juta.Action{}, err
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAction)
	if err == pgx.ErrNoRows {
		return juta.Action{}, juta.Errorf(juta.ENOTFOUND, "action %d not found", id)
	}
	return a, err
}
