package persistence

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

const (
	statsHours = 48
	statsDays  = 30
)

// Stats aggregates the user's own messages and actions in SQL, under the
// user's row-level security like every other read.
func (db *DB) Stats(ctx context.Context, uid juta.UserID, loc *time.Location, now time.Time) (juta.Stats, error) {
	st := juta.Stats{TimeZone: loc.String()}
	hourStart := now.Truncate(time.Hour).Add(-(statsHours - 1) * time.Hour)
	y, m, d := now.In(loc).Date()
	dayStart := time.Date(y, m, d-(statsDays-1), 0, 0, 0, 0, loc)
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		var err error
		if st.Hours, err = statsHourly(ctx, tx, uid, hourStart); err != nil {
			return err
		}
		if st.Days, err = statsDaily(ctx, tx, uid, loc, dayStart); err != nil {
			return err
		}
		if st.BusiestHours, err = statsBusiest(ctx, tx, uid, loc, dayStart); err != nil {
			return err
		}
		if st.Actions, err = statsActions(ctx, tx, uid); err != nil {
			return err
		}
		st.ReplyTime, err = statsReplyTime(ctx, tx, uid, dayStart)
		return err
	})
	if err != nil {
		return juta.Stats{}, dbError(err, "stats")
	}
	return st, nil
}

func statsHourly(ctx context.Context, tx pgx.Tx, uid juta.UserID, from time.Time) ([]juta.StatsBucket, error) {
	out := make([]juta.StatsBucket, statsHours)
	for i := range out {
		out[i].Start = from.Add(time.Duration(i) * time.Hour).UTC()
	}
	rows, err := tx.Query(ctx, `SELECT floor(extract(epoch FROM sent_at - $2::timestamptz) / 3600)::int,
			count(*) FILTER (WHERE NOT from_me), count(*) FILTER (WHERE from_me)
		FROM messages WHERE user_id = $1 AND sent_at >= $2 AND sent_at < $3 GROUP BY 1`,
		int64(uid), from, from.Add(statsHours*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("hourly messages: %w", err)
	}
	return out, fillBuckets(rows, out)
}

func statsDaily(ctx context.Context, tx pgx.Tx, uid juta.UserID, loc *time.Location, from time.Time) ([]juta.StatsBucket, error) {
	out := make([]juta.StatsBucket, statsDays)
	for i := range out {
		out[i].Start = from.AddDate(0, 0, i)
	}
	rows, err := tx.Query(ctx, `SELECT ((sent_at AT TIME ZONE $3)::date - $4::date)::int,
			count(*) FILTER (WHERE NOT from_me), count(*) FILTER (WHERE from_me)
		FROM messages WHERE user_id = $1 AND sent_at >= $2 GROUP BY 1`,
		int64(uid), from, loc.String(), from.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("daily messages: %w", err)
	}
	return out, fillBuckets(rows, out)
}

// fillBuckets adds rows of (bucket index, in, out) to out; indexes outside
// it (a message dated in the future) are left out.
func fillBuckets(rows pgx.Rows, out []juta.StatsBucket) error {
	defer rows.Close()
	for rows.Next() {
		var i int
		var in, sent int64
		if err := rows.Scan(&i, &in, &sent); err != nil {
			return err
		}
		if i >= 0 && i < len(out) {
			out[i].In, out[i].Out = in, sent
		}
	}
	return rows.Err()
}

func statsBusiest(ctx context.Context, tx pgx.Tx, uid juta.UserID, loc *time.Location, from time.Time) ([]juta.HourCount, error) {
	out := make([]juta.HourCount, 24)
	for h := range out {
		out[h].Hour = h
	}
	rows, err := tx.Query(ctx, `SELECT extract(hour FROM sent_at AT TIME ZONE $3)::int, count(*)
		FROM messages WHERE user_id = $1 AND sent_at >= $2 AND NOT from_me GROUP BY 1`,
		int64(uid), from, loc.String())
	if err != nil {
		return nil, fmt.Errorf("busiest hours: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h int
		var n int64
		if err := rows.Scan(&h, &n); err != nil {
			return nil, err
		}
		if h >= 0 && h < 24 {
			out[h].Messages = n
		}
	}
	return out, rows.Err()
}

func statsActions(ctx context.Context, tx pgx.Tx, uid juta.UserID) ([]juta.ActionCount, error) {
	rows, err := tx.Query(ctx, `SELECT type, status, count(*) FROM actions WHERE user_id = $1
		GROUP BY 1, 2 ORDER BY 1, 2`, int64(uid))
	if err != nil {
		return nil, fmt.Errorf("action counts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (juta.ActionCount, error) {
		var c juta.ActionCount
		err := r.Scan(&c.Type, &c.Status, &c.Count)
		return c, err
	})
	if out == nil {
		out = []juta.ActionCount{}
	}
	return out, err
}

// statsReplyTime numbers each message of a chat by the replies before it
// (turn), so a turn holds the contact's messages since the last reply and the
// reply that answers them: the wait is from its first incoming message to
// its first outgoing one.
func statsReplyTime(ctx context.Context, tx pgx.Tx, uid juta.UserID, from time.Time) (juta.ReplyTime, error) {
	var rt juta.ReplyTime
	err := tx.QueryRow(ctx, `WITH m AS (
			SELECT session_id, chat, from_me, sent_at,
				coalesce(sum(from_me::int) OVER (PARTITION BY session_id, chat ORDER BY sent_at, id
					ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS turn
			FROM messages WHERE user_id = $1 AND sent_at >= $2
		), waits AS (
			SELECT extract(epoch FROM min(sent_at) FILTER (WHERE from_me) - min(sent_at) FILTER (WHERE NOT from_me)) AS s
			FROM m GROUP BY session_id, chat, turn
		)
		SELECT count(s), percentile_cont(0.5) WITHIN GROUP (ORDER BY s), percentile_cont(0.9) WITHIN GROUP (ORDER BY s)
		FROM waits WHERE s >= 0`, int64(uid), from).Scan(&rt.Replies, &rt.MedianSeconds, &rt.P90Seconds)
	if err != nil {
		return juta.ReplyTime{}, fmt.Errorf("reply time: %w", err)
	}
	return rt, nil
}
