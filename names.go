package juta

import "context"

// PeerName is what a session knows a person as: the name they gave
// themselves (PushName, WhatsApp's push name) and the name the user saved
// them under (ContactName, from the phone's address book as WhatsApp syncs
// it). "" is unknown.
type PeerName struct {
	Address     string `json:"address"` // E.164 phone or JID, as messages name people
	PushName    string `json:"pushName,omitempty"`
	ContactName string `json:"contactName,omitempty"`
}

// Group is a group chat as the session knows it.
type Group struct {
	JID          string       `json:"jid"`
	Subject      string       `json:"subject"`
	Participants []string     `json:"participants"`
	Admins       []GroupAdmin `json:"admins,omitempty"`
}

// GroupRole is a member's standing in a group, as WhatsApp names it: the
// superadmin is the group's creator (or who WhatsApp made so), admins
// change the group, members are everyone else.
type GroupRole string

// Group roles.
const (
	GroupRoleMember     GroupRole = "member"
	GroupRoleAdmin      GroupRole = "admin"
	GroupRoleSuperAdmin GroupRole = "superadmin"
)

// GroupAdmin is a member of a group who is more than a member: Address as
// in Participants, Role admin or superadmin. Lists of them are sorted by
// address; a member not listed is a plain member.
type GroupAdmin struct {
	Address string    `json:"address"`
	Role    GroupRole `json:"role"`
}

// WANames: names of people learned (push names, address-book names). An
// empty field leaves the stored name as it is. Like WAIncoming, the handler
// returns true only once the names are stored.
type WANames struct{ Names []PeerName }

// WAGroup: a group's info, or a change of it. Subject, when set, is the
// new subject; Participants, when not nil, is the whole list, and Admins
// then its admins (nil with it: the roles stored are kept for members who
// stay); Join and Leave add and remove members; Promote makes members
// admins and Demote makes admins members. The handler returns true once
// stored.
type WAGroup struct {
	JID             string
	Subject         *string
	Participants    []string
	Admins          []GroupAdmin
	Join, Leave     []string
	Promote, Demote []string
}

// EventChatUpdated is appended when what a session knows a chat as really
// changed: a person's push name or saved name, or a group's subject,
// members or admins. Data: a ChatUpdate. A name or group reported again
// unchanged appends nothing.
const EventChatUpdated = "chat.updated"

// ChatUpdate is the data of EventChatUpdated: the chat after the change.
// Chat is the person (E.164 phone or JID, as messages name people) or the
// group's JID; Name is what the chat shows now (a group's subject, else the
// person's saved name, else their push name). A person's update carries
// both names; a group's its members and admins after the change, who
// joined and left with it, and whose role rose (Promoted) or fell (Demoted).
type ChatUpdate struct {
	Chat         string       `json:"chat"`
	Name         string       `json:"name"`
	PushName     string       `json:"pushName,omitempty"`
	ContactName  string       `json:"contactName,omitempty"`
	Participants []string     `json:"participants,omitempty"`
	Admins       []GroupAdmin `json:"admins,omitempty"`
	Joined       []string     `json:"joined,omitempty"`
	Left         []string     `json:"left,omitempty"`
	Promoted     []string     `json:"promoted,omitempty"`
	Demoted      []string     `json:"demoted,omitempty"`
}

func (WANames) waEvent() {}
func (WAGroup) waEvent() {}

// NameStore keeps each session's names of people and its groups. Methods
// block on the store; another user's session is ENOTFOUND or a no-op.
type NameStore interface {
	// SaveNames records names for the session; empty fields keep what is
	// stored. Each person whose names changed gets an EventChatUpdated in
	// the same transaction.
	SaveNames(ctx context.Context, uid UserID, sid SessionID, names []PeerName) error
	// ApplyGroup records a group's info or a change of it (see WAGroup),
	// with an EventChatUpdated when its subject or members changed.
	ApplyGroup(ctx context.Context, uid UserID, sid SessionID, g WAGroup) error
}
