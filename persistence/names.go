package persistence

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

var _ juta.NameStore = (*DB)(nil)

// SaveNames implements juta.NameStore. A name already stored is rewritten
// only when it changed, so repeating the same names writes nothing and logs
// nothing; each person whose names did change gets one chat.updated event.
func (db *DB) SaveNames(ctx context.Context, uid juta.UserID, sid juta.SessionID, names []juta.PeerName) error {
	byAddr := mergeNames(names)
	if len(byAddr) == 0 {
		return nil
	}
	var addrs, pushes, contacts []string
	for _, n := range byAddr {
		addrs, pushes, contacts = append(addrs, n.Address), append(pushes, n.PushName), append(contacts, n.ContactName)
	}
	err := db.logTx(ctx, uid, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO contact_names (user_id, session_id, address, push_name, contact_name)
			SELECT $1, $2, a, p, c FROM unnest($3::text[], $4::text[], $5::text[]) AS n(a, p, c)
			ON CONFLICT (session_id, address) DO UPDATE SET
				push_name = CASE WHEN excluded.push_name <> '' THEN excluded.push_name ELSE contact_names.push_name END,
				contact_name = CASE WHEN excluded.contact_name <> '' THEN excluded.contact_name ELSE contact_names.contact_name END,
				updated_at = now()
			WHERE (excluded.push_name <> '' AND excluded.push_name <> contact_names.push_name)
			   OR (excluded.contact_name <> '' AND excluded.contact_name <> contact_names.contact_name)
			RETURNING address, push_name, contact_name`,
			uid, sid, addrs, pushes, contacts)
		if err != nil {
			return err
		}
		changed, err := pgx.CollectRows(rows, scanPeerName)
		if err != nil {
			return err
		}
		slices.SortFunc(changed, func(a, b juta.PeerName) int { return strings.Compare(a.Address, b.Address) })
		for _, n := range changed {
			u := juta.ChatUpdate{Chat: n.Address, Name: n.ContactName, PushName: n.PushName, ContactName: n.ContactName}
			if u.Name == "" {
				u.Name = n.PushName
			}
			if err := appendChatUpdate(ctx, tx, uid, sid, u); err != nil {
				return err
			}
		}
		return nil
	})
	return dbError(err, "save names")
}

// mergeNames cleans names and keeps one per address: later names win, empty
// ones keep earlier. Names without an address or any name are dropped.
func mergeNames(names []juta.PeerName) map[string]juta.PeerName {
	byAddr := make(map[string]juta.PeerName, len(names))
	for _, n := range names {
		n.Address, n.PushName, n.ContactName = juta.CleanText(n.Address), juta.CleanText(n.PushName), juta.CleanText(n.ContactName)
		if n.Address == "" || (n.PushName == "" && n.ContactName == "") {
			continue
		}
		old := byAddr[n.Address]
		if n.PushName == "" {
			n.PushName = old.PushName
		}
		if n.ContactName == "" {
			n.ContactName = old.ContactName
		}
		byAddr[n.Address] = n
	}
	return byAddr
}

func scanPeerName(r pgx.CollectableRow) (juta.PeerName, error) {
	var n juta.PeerName
	return n, r.Scan(&n.Address, &n.PushName, &n.ContactName)
}

// appendChatUpdate logs u as the session's chat.updated event.
func appendChatUpdate(ctx context.Context, tx pgx.Tx, uid juta.UserID, sid juta.SessionID, u juta.ChatUpdate) error {
	data, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("encode chat update: %w", err)
	}
	_, err = appendEvents(ctx, tx, uid, sid, juta.EventChatUpdated, data)
	return err
}

// Groups returns the session's groups among jids, by JID.
func (db *DB) groupsOf(ctx context.Context, uid juta.UserID, sid juta.SessionID, jids []string) (map[string]juta.Group, error) {
	out := make(map[string]juta.Group)
	if len(jids) == 0 {
		return out, nil
	}
	rows, err := userRows(ctx, db, uid, func(r pgx.CollectableRow) (juta.Group, error) {
		var g juta.Group
		var admins, supers []string
		err := r.Scan(&g.JID, &g.Subject, &g.Participants, &admins, &supers)
		g.Admins = joinAdmins(admins, supers)
		return g, err
	}, `SELECT jid, subject, participants, admins, superadmins FROM wa_groups
		WHERE session_id = $1 AND user_id = $2 AND jid = ANY($3)`, sid, uid, jids)
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
	rows, err := userRows(ctx, db, uid, scanPeerName, `SELECT address, push_name, contact_name FROM contact_names
		WHERE session_id = $1 AND user_id = $2 AND address = ANY($3)`, sid, uid, addrs)
	if err != nil {
		return nil, dbError(err, "read names")
	}
	for _, n := range rows {
		out[n.Address] = n
	}
	return out, nil
}

// nameChats fills each chat's name (a group's subject, participants and
// admins, a person's saved name or else push name).
func (db *DB) nameChats(ctx context.Context, uid juta.UserID, sid juta.SessionID, chats []juta.Chat) error {
	var people, groups []string
	for _, c := range chats {
		if strings.HasSuffix(c.Chat, "@g.us") {
			groups = append(groups, c.Chat)
		} else {
			people = append(people, c.Chat)
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
		if g, ok := gs[c.Chat]; ok {
			c.Name, c.Participants, c.Admins = g.Subject, g.Participants, g.Admins
		} else if n, ok := ns[c.Chat]; ok {
			c.Name = n.ContactName
			if c.Name == "" {
				c.Name = n.PushName
			}
		}
	}
	return nil
}
