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

// groupOf is the whole info of a group.
func groupOf(g *types.GroupInfo) juta.WAGroup {
	subject := juta.CleanText(g.Name)
	members := make([]string, 0, len(g.Participants))
	for _, p := range g.Participants {
		members = append(members, address(preferPhone(p.JID, p.PhoneNumber)))
	}
	return juta.WAGroup{JID: g.JID.ToNonAD().String(), Subject: &subject, Participants: members}
}

// handleGroupInfo stores a change of a group: its subject, who joined and
// who left.
func (c *Client) handleGroupInfo(e *events.GroupInfo) bool {
	g := juta.WAGroup{JID: e.JID.ToNonAD().String()}
	if e.Name != nil {
		s := juta.CleanText(e.Name.Name)
		g.Subject = &s
	}
	for _, j := range e.Join {
		g.Join = append(g.Join, address(j))
	}
	for _, l := range e.Leave {
		g.Leave = append(g.Leave, address(l))
	}
	if g.Subject == nil && g.Join == nil && g.Leave == nil {
		return true
	}
	return c.emit(g)
}
