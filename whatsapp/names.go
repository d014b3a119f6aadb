package whatsapp

import (
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/juta-app/juta"
)

// handlePushName stores the name a person gave themselves when a message
// shows it changed.
func (c *Client) handlePushName(e *events.PushName) bool {
	who := preferPhone(e.JID, e.JIDAlt)
	return c.emit(juta.WANames{Names: []juta.PeerName{{Address: address(who), PushName: juta.CleanText(e.NewPushName)}}})
}

// handleContact stores the name the user saved a person under, as the
// phone's contact store syncs it (app state).
func (c *Client) handleContact(e *events.Contact) bool {
	name := e.Action.GetFullName()
	if name == "" {
		name = e.Action.GetFirstName()
	}
	if name == "" {
		return true
	}
	who := e.JID
	if pn, err := types.ParseJID(e.Action.GetPnJID()); err == nil && who.Server == types.HiddenUserServer {
		who = preferPhone(who, pn)
	}
	return c.emit(juta.WANames{Names: []juta.PeerName{{Address: address(who), ContactName: juta.CleanText(name)}}})
}

// handleJoinedGroup stores a group the account was added to, whole.
func (c *Client) handleJoinedGroup(e *events.JoinedGroup) bool {
	return c.emit(groupOf(&e.GroupInfo))
}

// groupOf is the whole info of a group, its admins with it (whatsmeow
// marks a superadmin as an admin too).
func groupOf(g *types.GroupInfo) juta.WAGroup {
	subject := juta.CleanText(g.Name)
	members := make([]string, 0, len(g.Participants))
	admins := make([]juta.GroupAdmin, 0)
	for _, p := range g.Participants {
		addr := address(preferPhone(p.JID, p.PhoneNumber))
		members = append(members, addr)
		switch {
		case p.IsSuperAdmin:
			admins = append(admins, juta.GroupAdmin{Address: addr, Role: juta.GroupRoleSuperAdmin})
		case p.IsAdmin:
			admins = append(admins, juta.GroupAdmin{Address: addr, Role: juta.GroupRoleAdmin})
		}
	}
	return juta.WAGroup{JID: g.JID.ToNonAD().String(), Subject: &subject, Participants: members, Admins: admins}
}

// addresses are the addresses of jids, as messages name people.
func addresses(jids []types.JID) []string {
	var out []string
	for _, j := range jids {
		out = append(out, address(j))
	}
	return out
}

// handleGroupInfo stores a change of a group: its subject, who joined and
// who left, who was made an admin and who no longer is.
func (c *Client) handleGroupInfo(e *events.GroupInfo) bool {
	g := juta.WAGroup{JID: e.JID.ToNonAD().String()}
	if e.Name != nil {
		s := juta.CleanText(e.Name.Name)
		g.Subject = &s
	}
	g.Join, g.Leave = addresses(e.Join), addresses(e.Leave)
	g.Promote, g.Demote = addresses(e.Promote), addresses(e.Demote)
	if g.Subject == nil && g.Join == nil && g.Leave == nil && g.Promote == nil && g.Demote == nil {
		return true
	}
	return c.emit(g)
}
