package sim

import (
	"strings"
	"time"

	juta "github.com/juta-app/juta"
)

// InboxItem is a message a linked device sent to a phone.
type InboxItem struct {
	From   string    `json:"from"`
	Text   string    `json:"text"`
	ID     string    `json:"id"`
	SentAt time.Time `json:"sentAt"`
	// Change, for a change of an earlier message, is its kind (reaction,
	// edit or delete) and Target that message's id; Text is then the emoji
	// ("" took the reaction back) or the new text.
	Change string `json:"change,omitempty"`
	Target string `json:"target,omitempty"`
	// Content is what a message that is more than a text carries: its kind,
	// details, the message it quotes, and for a file its checksum, by which
	// GET /sim/media/{sha256} serves the bytes the device uploaded.
	Content *juta.Content `json:"content,omitempty"`
	// Group is the group a message was sent to, "" for one to the phone.
	Group string `json:"group,omitempty"`
}

// inboxLocked adds item to a's inbox, dropping the oldest past maxInbox.
func (s *Server) inboxLocked(a *account, item InboxItem) {
	if len(a.inbox) >= maxInbox {
		a.inbox = a.inbox[1:]
	}
	a.inbox = append(a.inbox, item)
}

func nowMilli() int64 { return time.Now().UnixMilli() }

func timeOfMilli(ms int64) time.Time { return time.UnixMilli(ms) }

// post records a message from one phone to another and queues it for the
// recipient's devices (as incoming) and for the sender's other devices (as
// sent from another device). m carries the text, content or change; its id
// is a new one when empty. skip is the sending device, which has it already.
// It returns the connections to flush once the lock is released.
func (s *Server) postLocked(from, to string, m wireMsg, skip *device, toInbox bool) (wireMsg, []*sconn) {
	now := time.Now()
	if m.ID == "" {
		m.ID = newWAID()
	}
	m.Sender, m.SentAt = from, now.UnixMilli()
	text := m.Text
	if toInbox {
		item := InboxItem{From: from, Text: text, ID: m.ID, SentAt: now, Content: m.C}
		if c := m.Change; c != nil && len(c.Targets) == 1 {
			item.Text, item.Change, item.Target = c.Text, c.Kind, c.Targets[0]
		}
		s.inboxLocked(s.accountLocked(to), item)
	}
	var flush []*sconn
	if m.Change == nil && s.opts.History > 0 {
		s.rememberLocked(from, to, m)
	}
	if a := s.accounts[to]; a != nil && to != from {
		in := m
		in.Chat = from
		for _, d := range a.devices {
			flush = s.enqueueLocked(d, in, flush)
		}
	}
	if a := s.accounts[from]; a != nil {
		own := m
		own.Chat, own.FromMe = to, true
		for _, d := range a.devices {
			if d != skip {
				flush = s.enqueueLocked(d, own, flush)
			}
		}
	}
	return m, flush
}

func (s *Server) enqueueLocked(d *device, m wireMsg, flush []*sconn) []*sconn {
	d.queue = append(d.queue, &qitem{m: m})
	s.st.Queued++
	if d.conn != nil {
		flush = append(flush, d.conn)
	}
	return flush
}

// SendFromPhone sends text from phone to the E.164 phone or JID to, as the
// phone API's messages route does, and returns the message id.
func (s *Server) SendFromPhone(phone, to, text string) (string, error) {
	to, ok := normalizeAddress(to)
	if !validPhone(phone) || !ok {
		return "", juta.Errorf(juta.EINVALID, "phones must be E.164")
	}
	if err := checkText(text); err != nil {
		return "", err
	}
	s.mu.Lock()
	m, flush := s.postLocked(phone, to, wireMsg{Text: text}, nil, false)
	s.mu.Unlock()
	s.flush(flush)
	return m.ID, nil
}

func checkText(text string) error {
	if text == "" {
		return juta.Errorf(juta.EINVALID, "text is empty")
	}
	if len(text) > maxText {
		return juta.Errorf(juta.ETOOLARGE, "text exceeds %d bytes", maxText)
	}
	return nil
}

// checkSendLocked checks a send request: a text, content (see
// checkSentContentLocked), or a change of one message: a reaction (its emoji
// may be "", which takes it back), an edit (a new text) or a delete.
func (s *Server) checkSendLocked(f frame) error {
	c := f.Change
	if f.C != nil {
		return s.checkSentContentLocked(f)
	}
	if c == nil {
		return checkText(f.Text)
	}
	if len(c.Targets) != 1 || c.Targets[0] == "" || checkMessageID(c.Targets[0]) != nil {
		return juta.Errorf(juta.EINVALID, "a sent change names one message id")
	}
	switch c.Kind {
	case changeReaction:
		if len(c.Text) > maxEmoji {
			return juta.Errorf(juta.ETOOLARGE, "reaction exceeds %d bytes", maxEmoji)
		}
	case changeEdit:
		return checkText(c.Text)
	case changeDelete:
	default:
		return juta.Errorf(juta.EINVALID, "a sent change is a reaction, an edit or a delete")
	}
	return nil
}

// handleSend sends a text from the connection's device, under the id the
// device chose if any: a repeated id answers the first send's result and
// delivers nothing (see sentLog).
func (s *Server) handleSend(sc *sconn, f frame) {
	res := frame{T: tRes, Req: f.Req}
	if strings.HasSuffix(f.To, groupServer) {
		s.handleGroupSend(sc, f)
		return
	}
	to, ok := normalizeAddress(f.To)
	var flush []*sconn
	s.mu.Lock()
	dev := sc.dev
	switch {
	case dev == nil || dev.conn != sc:
		res.Err, res.Detail = juta.ESTATE, "not connected as a device"
	case !ok:
		res.Err, res.Detail = juta.EINVALID, "recipient must be an E.164 phone or a JID"
	default:
		err := s.checkSendLocked(f)
		if err == nil {
			err = checkMessageID(f.WAID)
		}
		if err != nil {
			res.Err, res.Detail = juta.ErrorCode(err), juta.ErrorMessage(err)
			break
		}
		m, seen := dev.sent.get(f.WAID)
		if !seen {
			m, flush = s.postLocked(dev.phone, to, wireMsg{ID: f.WAID, Text: f.Text, Change: f.Change, C: f.C}, dev, true)
			if f.WAID != "" {
				dev.sent.add(m)
			}
		}
		res.WAID, res.SentAt = m.ID, m.SentAt
	}
	s.mu.Unlock()
	_ = sc.send(res)
	s.flush(flush)
}

// handleAck removes an acknowledged message from the device's queue and,
// at DuplicateRate, delivers it once more.
func (s *Server) handleAck(sc *sconn, f frame) {
	s.mu.Lock()
	dev := sc.dev
	if dev == nil {
		s.mu.Unlock()
		return
	}
	if dev.conn != sc {
		s.st.AcksOnReplacedConn++
	}
	var acked *qitem
	for i, it := range dev.queue {
		if it.m.ID == f.WAID {
			acked = it
			dev.queue = append(dev.queue[:i], dev.queue[i+1:]...)
			break
		}
	}
	if acked == nil { // an ack of a duplicate, or of a dropped queue
		s.mu.Unlock()
		return
	}
	s.st.Queued--
	s.st.Delivered++
	dup := s.opts.DuplicateRate > 0 && s.rng.Float64() < s.opts.DuplicateRate
	if dup {
		s.st.Duplicates++
	}
	s.mu.Unlock()
	if dup {
		_ = sc.send(frame{T: tMsg, Msg: &acked.m})
	}
}

// handleUnlink logs the connection's own device out; the connection ends.
func (s *Server) handleUnlink(sc *sconn, f frame) bool {
	s.mu.Lock()
	dev := sc.dev
	if dev == nil || dev.conn != sc {
		s.mu.Unlock()
		_ = sc.send(frame{T: tRes, Req: f.Req, Err: juta.ESTATE, Detail: "not connected as a device"})
		return true
	}
	s.unlinkLocked(dev)
	s.mu.Unlock()
	s.log.Info("sim device logged out by client", "device", dev.jid)
	_ = sc.send(frame{T: tRes, Req: f.Req})
	return false
}

// LogoutPhone unlinks the phone's devices (only deviceJID when not empty),
// tells their connections and returns the unlinked ids. ENOTFOUND when
// deviceJID is not a device of phone.
func (s *Server) LogoutPhone(phone, deviceJID string) ([]string, error) {
	s.mu.Lock()
	var devs []*device
	if a := s.accounts[phone]; a != nil {
		for _, d := range a.devices {
			if deviceJID == "" || d.jid == deviceJID {
				devs = append(devs, d)
			}
		}
	}
	if deviceJID != "" && len(devs) == 0 {
		s.mu.Unlock()
		return nil, juta.Errorf(juta.ENOTFOUND, "no such device on this phone")
	}
	jids := make([]string, 0, len(devs))
	var conns []*sconn
	for _, d := range devs {
		jids = append(jids, d.jid)
		if c := s.unlinkLocked(d); c != nil {
			conns = append(conns, c)
		}
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.send(frame{T: tLogout, Reason: juta.ReasonLoggedOut})
		c.c.Close()
	}
	if len(jids) > 0 {
		s.log.Info("sim devices logged out from phone", "devices", len(jids))
	}
	return jids, nil
}

// Inbox returns what linked devices sent to phone, oldest first.
func (s *Server) Inbox(phone string) []InboxItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[phone]
	if a == nil {
		return []InboxItem{}
	}
	return append([]InboxItem{}, a.inbox...)
}
