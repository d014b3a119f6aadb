package persistence

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.NameStore = (*DB)(nil)

// SaveNames implements juta.NameStore. A name already stored is rewritten
// only when it changed, so repeating the same names writes nothing.
func (db *DB) SaveNames(ctx context.Context, uid juta.UserID, sid juta.SessionID, names []juta.PeerName) error {
	byAddr := make(map[string]juta.PeerName, len(names))
	for _, n := range names {
		n.Address, n.PushName, n.ContactName = juta.CleanText(n.Address), juta.CleanText(n.PushName), juta.CleanText(n.ContactName)
		if n.Address == "" || (n.PushName == "" && n.ContactName == "") {
			continue
		}
		old := byAddr[n.Address] // one row per address: later names win, empty ones keep earlier
		if n.PushName == "" {
			n.PushName = old.PushName
		}
		if n.ContactName == "" {
			n.ContactName = old.ContactName
		}
		byAddr[n.Address] = n
	}
	if len(byAddr) == 0 {
		return nil
	}
	var addrs, pushes, contacts []string
	for _, n := range byAddr {
		addrs, pushes, contacts = append(addrs, n.Address), append(pushes, n.PushName), append(contacts, n.ContactName)
	}
	_, err := db.userExec(ctx, uid, `INSERT INTO contact_names (user_id, session_id, address, push_name, contact_name)
		SELECT $1, $2, a, p, c FROM unnest($3::text[], $4::text[], $5::text[]) AS n(a, p, c)
		ON CONFLICT (session_id, address) DO UPDATE SET
			push_name = CASE WHEN excluded.push_name <> '' THEN excluded.push_name ELSE contact_names.push_name END,
			contact_name = CASE WHEN excluded.contact_name <> '' THEN excluded.contact_name ELSE contact_names.contact_name END,
			updated_at = now()
		WHERE (excluded.push_name <> '' AND excluded.push_name <> contact_names.push_name)
		   OR (excluded.contact_name <> '' AND excluded.contact_name <> contact_names.contact_name)`,
		uid, sid, addrs, pushes, contacts)
	return dbError(err, "save names")
}

// ApplyGroup implements juta.NameStore.
func (db *DB) ApplyGroup(ctx context.Context, uid juta.UserID, sid juta.SessionID, g juta.WAGroup) error {
	if g.JID == "" {
		return juta.Errorf(juta.EINVALID, "a group needs its JID")
	}
	var subject *string
	if g.Subject != nil {
		s := juta.CleanText(*g.Subject)
		subject = &s
	}
	clean := func(in []string) []string {
		out := make([]string, 0, len(in))
		for _, p := range in {
			out = append(out, juta.CleanText(p))
		}
		return out
	}
	var full []string
	if g.Participants != nil {
		full = clean(g.Participants)
	}
	err := db.userTx(ctx, uid, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO wa_groups (user_id, session_id, jid, subject, participants)
			VALUES ($1, $2, $3, coalesce($4, ''), coalesce($5::text[], '{}'))
			ON CONFLICT (session_id, jid) DO UPDATE SET subject = coalesce($4, wa_groups.subject),
				participants = coalesce($5::text[], wa_groups.participants), updated_at = now()`,
			uid, sid, juta.CleanText(g.JID), subject, full); err != nil {
			return err
		}
		if len(g.Join) == 0 && len(g.Leave) == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `UPDATE wa_groups SET updated_at = now(), participants = (
				SELECT coalesce(array_agg(p ORDER BY p), '{}') FROM (
					SELECT unnest(participants || $3::text[]) EXCEPT SELECT unnest($4::text[])) x(p))
			WHERE session_id = $1 AND jid = $2`, sid, juta.CleanText(g.JID), clean(g.Join), clean(g.Leave))
		return err
	})
	return dbError(err, "apply group")
}

// Groups returns the session's groups among jids, by JID.
func (db *DB) groupsOf(ctx context.Context, uid juta.UserID, sid juta.SessionID, jids []string) (map[string]juta.Group, error) {
	out := make(map[string]juta.Group)
	if len(jids) == 0 {
		return out, nil
	}
	rows, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.Group, error) {
		var g juta.Group
		return g, r.Scan(&g.JID, &g.Subject, &g.Participants)
	}, `SELECT jid, subject, participants FROM wa_groups WHERE session_id = $1 AND user_id = $2 AND jid = ANY($3)`, sid, uid, jids)
	if err != nil {
		return nil, dbError(err, "read groups")
	}
	for _, g := range rows {
		out[g.JID] = g
	}
	return out, nil
}

// peerNames returns the session's names of the people among addrs.
func (db *DB) peerNames(ctx context.Context, uid juta.UserID, sid juta.SessionID, addrs []string) (map[string]juta.PeerName, error) {
	out := make(map[string]juta.PeerName)
	if len(addrs) == 0 {
		return out, nil
	}
	rows, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.PeerName, error) {
		var n juta.PeerName
		return n, r.Scan(&n.Address, &n.PushName, &n.ContactName)
	}, `SELECT address, push_name, contact_name FROM contact_names
		WHERE session_id = $1 AND user_id = $2 AND address = ANY($3)`, sid, uid, addrs)
	if err != nil {
		return nil, dbError(err, "read names")
	}
	for _, n := range rows {
		out[n.Address] = n
	}
	return out, nil
}

// nameChats fills each chat's name (a group's subject and participants, a
// person's saved name or else push name).
func (db *DB) nameChats(ctx context.Context, uid juta.UserID, sid juta.SessionID, chats []juta.Chat) error {
	var people, groups []string
	for _, c := range chats {
		if strings.HasSuffix(c.Chat, "@g.us") {
			groups = append(groups, c.Chat)
		} else {
			people = append(people, c.Chat)
		}
		if !c.LastMessage.FromMe && c.LastMessage.Sender != c.Chat {
			people = append(people, c.LastMessage.Sender) // a group member
		}
	}
	gs, err := db.groupsOf(ctx, uid, sid, groups)
	if err != nil {
		return err
	}
	ns, err := db.peerNames(ctx, uid, sid, people)
	if err != nil {
		return err
	}
	for i := range chats {
		c := &chats[i]
		if !c.LastMessage.FromMe {
			c.LastMessage.ContactName = ns[c.LastMessage.Sender].ContactName
		}
		if g, ok := gs[c.Chat]; ok {
			c.Name, c.Participants = g.Subject, g.Participants
		} else if n, ok := ns[c.Chat]; ok {
			c.Name = n.ContactName
			if c.Name == "" {
				c.Name = n.PushName
			}
		}
	}
	return nil
}

// nameSenders fills the contact name of each message's sender.
func (db *DB) nameSenders(ctx context.Context, uid juta.UserID, sid juta.SessionID, ms []juta.Message) error {
	var addrs []string
	for _, m := range ms {
		if !m.FromMe {
			addrs = append(addrs, m.Sender)
		}
	}
	ns, err := db.peerNames(ctx, uid, sid, addrs)
	if err != nil || len(ns) == 0 {
		return err
	}
	for i := range ms {
		if !ms[i].FromMe {
			ms[i].ContactName = ns[ms[i].Sender].ContactName
		}
	}
	return nil
}
