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
	JID          string   `json:"jid"`
	Subject      string   `json:"subject"`
	Participants []string `json:"participants"`
}

// WANames: names of people learned (push names, address-book names). An
// empty field leaves the stored name as it is. Like WAIncoming, the handler
// returns true only once the names are stored.
type WANames struct{ Names []PeerName }

// WAGroup: a group's info, or a change of it. Subject, when set, is the
// new subject; Participants, when not nil, is the whole list; Join and
// Leave add and remove members. The handler returns true once stored.
type WAGroup struct {
	JID          string
	Subject      *string
	Participants []string
	Join, Leave  []string
}

// EventChatUpdated is appended when what a session knows a chat as really
// changed: a person's push name or saved name, or a group's subject or
// members. Data: a ChatUpdate. A name or group reported again unchanged
// appends nothing.
const EventChatUpdated = "chat.updated"

// ChatUpdate is the data of EventChatUpdated: the chat after the change.
// Chat is the person (E.164 phone or JID, as messages name people) or the
// group's JID; Name is what the chat shows now (a group's subject, else the
// person's saved name, else their push name). A person's update carries
// both names; a group's its members after the change and who joined and
// left with it.
type ChatUpdate struct {
	Chat         string   `json:"chat"`
	Name         string   `json:"name"`
	PushName     string   `json:"pushName,omitempty"`
	ContactName  string   `json:"contactName,omitempty"`
	Participants []string `json:"participants,omitempty"`
	Joined       []string `json:"joined,omitempty"`
	Left         []string `json:"left,omitempty"`
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
