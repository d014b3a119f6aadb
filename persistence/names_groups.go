package persistence

import (
	"context"
	"errors"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

// ApplyGroup implements juta.NameStore. The group's row is read and locked,
// the change applied to it, and the row written with a chat.updated event
// only when its subject, members or admins differ from what was stored; a
// group seen for the first time is always a change.
func (db *DB) ApplyGroup(ctx context.Context, uid juta.UserID, sid juta.SessionID, g juta.WAGroup) error {
	jid := juta.CleanText(g.JID)
	if jid == "" {
		return juta.Errorf(juta.EINVALID, "a group needs its JID")
	}
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		old, found, err := lockGroup(ctx, tx, uid, sid, jid)
		if err != nil {
			return err
		}
		next := nextGroup(old, g)
		if found && next.Subject == old.Subject && slices.Equal(next.Participants, old.Participants) &&
			slices.Equal(next.Admins, old.Admins) {
			return nil
		}
		admins, supers := splitAdmins(next.Admins)
		if _, err := tx.Exec(ctx, `INSERT INTO wa_groups (user_id, session_id, jid, subject, participants, admins, superadmins)
			VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7::text[])
			ON CONFLICT (session_id, jid) DO UPDATE SET subject = $4, participants = $5::text[], admins = $6::text[],
				superadmins = $7::text[], updated_at = now()`,
			uid, sid, jid, next.Subject, next.Participants, admins, supers); err != nil {
			return err
		}
		up, down := roleChanges(old, next)
		return appendChatUpdate(ctx, tx, uid, sid, juta.ChatUpdate{Chat: jid, Name: next.Subject,
			Participants: next.Participants, Admins: next.Admins, Joined: without(next.Participants, old.Participants),
			Left: without(old.Participants, next.Participants), Promoted: up, Demoted: down})
	})
	return dbError(err, "apply group")
}

// lockGroup reads the stored group (participants sorted, without repeats)
// and locks its row; found is false for a group not stored yet.
func lockGroup(ctx context.Context, tx pgx.Tx, uid juta.UserID, sid juta.SessionID, jid string) (juta.Group, bool, error) {
	g := juta.Group{JID: jid}
	var admins, supers []string
	err := tx.QueryRow(ctx, `SELECT subject, participants, admins, superadmins FROM wa_groups
		WHERE session_id = $1 AND user_id = $2 AND jid = $3 FOR UPDATE`, sid, uid, jid).Scan(&g.Subject, &g.Participants, &admins, &supers)
	if errors.Is(err, pgx.ErrNoRows) {
		return g, false, nil
	}
	g.Participants = members(g.Participants)
	g.Admins = joinAdmins(admins, supers)
	return g, err == nil, err
}

// nextGroup is old after the change g: a new subject when g has one, g's
// whole list of members (and admins) when it has one, then who joined and
// who left, who was promoted and who demoted. Only members keep a role.
func nextGroup(old juta.Group, g juta.WAGroup) juta.Group {
	next := old
	if g.Subject != nil {
		next.Subject = juta.CleanText(*g.Subject)
	}
	set := old.Participants
	if g.Participants != nil {
		set = g.Participants
	}
	set = append(slices.Clone(set), g.Join...)
	gone := members(g.Leave)
	next.Participants = slices.DeleteFunc(members(set), func(p string) bool {
		_, left := slices.BinarySearch(gone, p)
		return left
	})
	next.Admins = nextAdmins(old.Admins, g, next.Participants)
	return next
}

// members returns addresses cleaned, sorted and without repeats (never nil).
func members(in []string) []string {
	out := make([]string, 0, len(in))
	for _, p := range in {
		if p = juta.CleanText(p); p != "" {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// without returns the members of a (sorted) that b (sorted) lacks.
func without(a, b []string) []string {
	var out []string
	for _, p := range a {
		if _, ok := slices.BinarySearch(b, p); !ok {
			out = append(out, p)
		}
	}
	return out
}
