package sim

import (
	"net/http"
	"slices"
	"strings"

	juta "github.com/juta-app/juta"
)

const (
	groupServer = "@g.us"
	maxMembers  = 1024 // WhatsApp groups hold up to 1024 members (WhatsApp blog, "Communities", 2022)
	maxNames    = 1000 // names in one address-book sync
	maxName     = 256
)

// wireGroup is a group's info (Participants and Admins, on creation) or a
// change of it (a new Subject, members who joined or left, who was made an
// admin or no longer is), sent to its members.
type wireGroup struct {
	Subject      *string           `json:"subject,omitempty"`
	Participants []string          `json:"participants,omitempty"`
	Admins       []juta.GroupAdmin `json:"admins,omitempty"`
	Join         []string          `json:"join,omitempty"`
	Leave        []string          `json:"leave,omitempty"`
	Promote      []string          `json:"promote,omitempty"`
	Demote       []string          `json:"demote,omitempty"`
}

// simGroup is a group of the simulated network. Its creator is its
// superadmin (told to the members on creation, as on WhatsApp); the roles
// after that live on the devices, which each change reaches.
type simGroup struct {
	subject string
	members []string // E.164 phones
}

// PhoneNames is an address-book sync: the names a phone saved its contacts
// under, which its linked devices learn.
type PhoneNames struct {
	Contacts []struct {
		Phone string `json:"phone"`
		Name  string `json:"name"`
	} `json:"contacts"`
}

// PhoneGroup creates a group (Subject and Participants) or changes one
// (Subject, Add, Remove, and Promote to admin or Demote to member).
type PhoneGroup struct {
	Subject      *string  `json:"subject,omitempty"`
	Participants []string `json:"participants,omitempty"`
	Add          []string `json:"add,omitempty"`
	Remove       []string `json:"remove,omitempty"`
	Promote      []string `json:"promote,omitempty"`
	Demote       []string `json:"demote,omitempty"`
}

func (s *Server) apiContacts(r *http.Request) (any, error) {
	var in PhoneNames
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	return map[string]int{"contacts": len(in.Contacts)}, s.SyncContacts(r.PathValue("phone"), in)
}

func (s *Server) apiCreateGroup(r *http.Request) (any, error) {
	var in PhoneGroup
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	jid, err := s.CreateGroup(r.PathValue("phone"), in)
	return map[string]string{"jid": jid}, err
}

func (s *Server) apiChangeGroup(r *http.Request) (any, error) {
	var in PhoneGroup
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	return map[string]string{"jid": r.PathValue("group")}, s.ChangeGroup(r.PathValue("phone"), r.PathValue("group"), in)
}

func checkName(n string) error {
	if len(n) > maxName || !juta.StorableText(n) {
		return juta.Errorf(juta.EINVALID, "a name is at most %d bytes of UTF-8 without NUL characters", maxName)
	}
	return nil
}

// SyncContacts sends phone's saved names of its contacts to its linked
// devices, as WhatsApp syncs a phone's address book.
func (s *Server) SyncContacts(phone string, in PhoneNames) error {
	if len(in.Contacts) == 0 || len(in.Contacts) > maxNames {
		return juta.Errorf(juta.EINVALID, "contacts needs 1 to %d names", maxNames)
	}
	names := make([]juta.PeerName, 0, len(in.Contacts))
	for _, c := range in.Contacts {
		if !validPhone(c.Phone) || c.Name == "" {
			return juta.Errorf(juta.EINVALID, "each contact needs an E.164 phone and a name")
		}
		if err := checkName(c.Name); err != nil {
			return err
		}
		names = append(names, juta.PeerName{Address: c.Phone, ContactName: c.Name})
	}
	s.mu.Lock()
	flush := s.sendToAccountLocked(phone, wireMsg{ID: newWAID(), Chat: phone, Sender: phone, Names: names}, nil)
	s.mu.Unlock()
	s.flush(flush)
	return nil
}

// members checks a list of phones, without repeats.
func members(phones []string) ([]string, error) {
	out := make([]string, 0, len(phones))
	for _, p := range phones {
		if !validPhone(p) {
			return nil, juta.Errorf(juta.EINVALID, "members must be E.164 phones")
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) > maxMembers {
		return nil, juta.Errorf(juta.EINVALID, "a group has at most %d members", maxMembers)
	}
	return out, nil
}

// CreateGroup creates a group of phone and participants and tells every
// member's devices; it returns the group's JID.
func (s *Server) CreateGroup(phone string, in PhoneGroup) (string, error) {
	if !validPhone(phone) || in.Subject == nil || *in.Subject == "" {
		return "", juta.Errorf(juta.EINVALID, "a group needs a subject")
	}
	if err := checkName(*in.Subject); err != nil {
		return "", err
	}
	all, err := members(append([]string{phone}, in.Participants...))
	if err != nil {
		return "", err
	}
	jid := "120363" + strings.TrimLeft(randDigits(12), "0") + groupServer
	subject := *in.Subject
	s.mu.Lock()
	if s.groups == nil {
		s.groups = make(map[string]*simGroup)
	}
	s.groups[jid] = &simGroup{subject: subject, members: all}
	creator := []juta.GroupAdmin{{Address: phone, Role: juta.GroupRoleSuperAdmin}}
	m := wireMsg{ID: newWAID(), Chat: jid, Sender: phone, Group: &wireGroup{Subject: &subject, Participants: all, Admins: creator}}
	var flush []*sconn
	for _, p := range all {
		flush = s.sendToAccountLocked(p, m, flush)
	}
	s.mu.Unlock()
	s.flush(flush)
	return jid, nil
}

// ChangeGroup changes the subject, the members or the admins of a group
// phone is in, and tells every member's devices, those who left included.
// The devices keep the roles; the network only passes the change on.
func (s *Server) ChangeGroup(phone, jid string, in PhoneGroup) error {
	var lists [4][]string
	for i, l := range [][]string{in.Add, in.Remove, in.Promote, in.Demote} {
		var err error
		if lists[i], err = members(l); err != nil {
			return err
		}
	}
	add, remove, promote, demote := lists[0], lists[1], lists[2], lists[3]
	if in.Subject != nil {
		if err := checkName(*in.Subject); err != nil || *in.Subject == "" {
			return juta.Errorf(juta.EINVALID, "a subject is 1 to %d bytes", maxName)
		}
	}
	s.mu.Lock()
	g := s.groups[jid]
	if g == nil || !slices.Contains(g.members, phone) {
		s.mu.Unlock()
		return juta.Errorf(juta.ENOTFOUND, "%s is not in this group", phone)
	}
	told := slices.Clone(g.members)
	if in.Subject != nil {
		g.subject = *in.Subject
	}
	for _, p := range add {
		if !slices.Contains(g.members, p) {
			g.members = append(g.members, p)
			told = append(told, p)
		}
	}
	g.members = slices.DeleteFunc(g.members, func(p string) bool { return slices.Contains(remove, p) })
	m := wireMsg{ID: newWAID(), Chat: jid, Sender: phone, Group: &wireGroup{Subject: in.Subject, Join: add, Leave: remove,
		Promote: promote, Demote: demote}}
	var flush []*sconn
	for _, p := range told {
		flush = s.sendToAccountLocked(p, m, flush)
	}
	s.mu.Unlock()
	s.flush(flush)
	return nil
}

// sendToAccountLocked queues m for every device of phone's account.
func (s *Server) sendToAccountLocked(phone string, m wireMsg, flush []*sconn) []*sconn {
	if a := s.accounts[phone]; a != nil {
		for _, d := range a.devices {
			flush = s.enqueueLocked(d, m, flush)
		}
	}
	return flush
}

// postGroupLocked sends m from a member to a group: every other member's
// devices get it (and their inboxes, when a linked device sent it), the
// sender's other devices get it as sent. ENOTFOUND when from is not a member.
func (s *Server) postGroupLocked(from, jid string, m wireMsg, skip *device, toInbox bool) (wireMsg, []*sconn, error) {
	g := s.groups[jid]
	if g == nil || !slices.Contains(g.members, from) {
		return m, nil, juta.Errorf(juta.ENOTFOUND, "%s is not in group %s", from, jid)
	}
	if m.ID == "" {
		m.ID = newWAID()
	}
	now := nowMilli()
	m.Chat, m.Sender, m.SentAt = jid, from, now
	var flush []*sconn
	for _, p := range g.members {
		a := s.accounts[p]
		if toInbox && p != from {
			a = s.accountLocked(p) // a phone with no linked device has an inbox too
		}
		if a == nil {
			continue
		}
		in := m
		in.FromMe = p == from
		if toInbox && p != from {
			s.inboxLocked(a, InboxItem{From: from, Text: m.Text, ID: m.ID, SentAt: timeOfMilli(now), Content: m.C, Group: jid})
		}
		for _, d := range a.devices {
			if d != skip {
				flush = s.enqueueLocked(d, in, flush)
			}
		}
	}
	return m, flush, nil
}

// groupEvent is the event a client reports for a group frame.
func groupEvent(m *wireMsg) juta.WAEvent {
	g := m.Group
	return juta.WAGroup{JID: m.Chat, Subject: g.Subject, Participants: g.Participants, Admins: g.Admins, Join: g.Join,
		Leave: g.Leave, Promote: g.Promote, Demote: g.Demote}
}

// handleGroupSend sends a device's message to a group it is in, under the
// id the device chose as handleSend does.
func (s *Server) handleGroupSend(sc *sconn, f frame) {
	res := frame{T: tRes, Req: f.Req}
	var flush []*sconn
	s.mu.Lock()
	dev := sc.dev
	err := s.checkSendLocked(f)
	if err == nil {
		err = checkMessageID(f.WAID)
	}
	switch {
	case dev == nil || dev.conn != sc:
		res.Err, res.Detail = juta.ESTATE, "not connected as a device"
	case err != nil:
		res.Err, res.Detail = juta.ErrorCode(err), juta.ErrorMessage(err)
	default:
		m, seen := dev.sent.get(f.WAID)
		if !seen {
			m, flush, err = s.postGroupLocked(dev.phone, f.To, wireMsg{ID: f.WAID, Text: f.Text, Change: f.Change, C: f.C}, dev, true)
			if err == nil && f.WAID != "" {
				dev.sent.add(m)
			}
		}
		if err != nil {
			res.Err, res.Detail = juta.ErrorCode(err), juta.ErrorMessage(err)
		}
		res.WAID, res.SentAt = m.ID, m.SentAt
	}
	s.mu.Unlock()
	_ = sc.send(res)
	s.flush(flush)
}
