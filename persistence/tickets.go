package persistence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.TicketStore = (*DB)(nil)

// WebSocket tickets (migration 0014) run as the connecting role: a ticket is
// redeemed by its hash before its user is known.

// IssueTicket stores a ticket after counting uid's live ones. The user's row
// is locked for the count, so two issues at once cannot both pass the cap.
func (db *DB) IssueTicket(ctx context.Context, uid juta.UserID, hash, payload []byte, ttl time.Duration, perUser int) (time.Time, error) {
	var expires time.Time
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, uid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM ws_tickets WHERE user_id = $1 AND expires_at <= now()`, uid); err != nil {
			return err
		}
		var held int
		var oldest time.Time
		if err := tx.QueryRow(ctx, `SELECT count(*), coalesce(min(expires_at), now()) FROM ws_tickets
			WHERE user_id = $1`, uid).Scan(&held, &oldest); err != nil {
			return err
		}
		if perUser >= 0 && held >= perUser {
			return &juta.Error{Code: juta.ERATELIMITED, RetryAfter: max(time.Until(oldest), time.Second),
				Message: fmt.Sprintf("an account may hold at most %d unused tickets", perUser)}
		}
		return tx.QueryRow(ctx, `INSERT INTO ws_tickets (hash, user_id, payload, expires_at)
			VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond') RETURNING expires_at`,
			hash, uid, payload, ttl.Milliseconds()).Scan(&expires)
	})
	if err != nil {
		return time.Time{}, dbError(err, "issue ticket")
	}
	return expires, nil
}

// RedeemTicket deletes the ticket and answers it if it was still live: one
// statement, so of two nodes redeeming at once exactly one gets it.
func (db *DB) RedeemTicket(ctx context.Context, hash []byte) (juta.UserID, []byte, error) {
	var uid juta.UserID
	var payload []byte
	var live bool
	err := db.pool.QueryRow(ctx, `DELETE FROM ws_tickets WHERE hash = $1
		RETURNING user_id, payload, expires_at > now()`, hash).Scan(&uid, &payload, &live)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && !live {
		return 0, nil, juta.Errorf(juta.ENOTFOUND, "no such ticket")
	}
	if err != nil {
		return 0, nil, dbError(err, "redeem ticket")
	}
	return uid, payload, nil
}
