package persistence

import (
	"cmp"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// Fencing of the ingest writer (cluster mode). A batch mixes users, so one
// stale token must not fail the others: the batch first locks the leases its
// rows' fences name (FOR KEY SHARE, in user order; the renewer's FOR NO KEY
// UPDATE does not conflict with it, a takeover's FOR UPDATE waits for the
// commit), learns which are still held, and the insert skips the rows of the
// others, which are answered with juta.ErrStaleLease and so never
// acknowledged. A batch without fences (no cluster mode) sends exactly the
// statements it always did.

// insertFenceFilter is appended to the insert's join: $14 is each row's token
// (0 = unfenced). The leases were locked by queueCheckFences a moment before
// in the same transaction, and now() is the transaction's, so the two agree.
const insertFenceFilter = `
		JOIN unnest($14::bigint[]) WITH ORDINALITY AS f(token, ord) ON f.ord = r.ord
		WHERE f.token = 0 OR EXISTS (SELECT 1 FROM leases l
			WHERE l.user_id = r.user_id AND l.token = f.token AND l.expires_at > now())`

// rowFences lists the distinct fences of the rows, in user order.
func rowFences(rows []*batchRow) []juta.Fence {
	var set map[juta.Fence]bool
	for _, r := range rows {
		if r.token == 0 {
			continue
		}
		if set == nil {
			set = map[juta.Fence]bool{}
		}
		set[juta.Fence{UserID: r.msg.UserID, Token: r.token}] = true
	}
	return slices.SortedFunc(maps.Keys(set), func(a, b juta.Fence) int {
		return cmp.Or(cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.Token, b.Token))
	})
}

// queueCheckFences locks the live leases among fences and records them in held.
func queueCheckFences(b *pgx.Batch, fences []juta.Fence, held map[juta.Fence]bool) {
	if len(fences) == 0 {
		return
	}
	uids, tokens := make([]int64, len(fences)), make([]int64, len(fences))
	for i, f := range fences {
		uids[i], tokens[i] = int64(f.UserID), f.Token
	}
	b.Queue(`SELECT l.user_id, l.token FROM leases l
		JOIN unnest($1::bigint[], $2::bigint[]) AS f(user_id, token) ON l.user_id = f.user_id AND l.token = f.token
		WHERE l.expires_at > now()
		ORDER BY l.user_id FOR KEY SHARE OF l`, uids, tokens).
		Query(func(res pgx.Rows) error {
			var id, token int64
			_, err := pgx.ForEachRow(res, []any{&id, &token}, func() error {
				held[juta.Fence{UserID: juta.UserID(id), Token: token}] = true
				return nil
			})
			return err
		})
}

// markStale flags the fenced rows whose lease is not held.
func markStale(rows []*batchRow, held map[juta.Fence]bool) {
	for _, r := range rows {
		if r.token != 0 && !held[juta.Fence{UserID: r.msg.UserID, Token: r.token}] {
			r.stale = true
		}
	}
}
