package sim

import (
	"net/http"
	"time"

	juta "github.com/juta-app/juta"
)

// Kinds of PhoneChange.
const (
	changeEdit      = "edit"
	changeDelete    = "delete"
	changeReaction  = "reaction"
	changeDelivered = "delivered"
	changeRead      = "read"
)

// PhoneChange is something a phone does to messages already sent: edit or
// delete its own (kind edit, delete), react to one (reaction; Text is the
// emoji, "" to take it back), or acknowledge messages it received (delivered,
// read). To is the other side of the chat.
type PhoneChange struct {
	To      string   `json:"to"`
	Kind    string   `json:"kind"`
	Targets []string `json:"targets"`
	Text    string   `json:"text,omitempty"`
}

func checkChange(in PhoneChange) error {
	switch in.Kind {
	case changeEdit:
		if in.Text == "" {
			return juta.Errorf(juta.EINVALID, "an edit needs text")
		}
	case changeDelete, changeReaction, changeDelivered, changeRead:
	default:
		return juta.Errorf(juta.EINVALID, "kind must be edit, delete, reaction, delivered or read")
	}
	if n := len(in.Targets); n == 0 || n > 256 || (n > 1 && in.Kind != changeDelivered && in.Kind != changeRead) {
		return juta.Errorf(juta.EINVALID, "targets: one message id (up to 256 for receipts)")
	}
	for _, id := range in.Targets {
		if id == "" || checkMessageID(id) != nil {
			return juta.Errorf(juta.EINVALID, "targets must be message ids")
		}
	}
	if err := checkLen(in.Text); err != nil {
		return err
	}
	if !juta.StorableText(in.Text) {
		return juta.Errorf(juta.EINVALID, "text must be UTF-8 without NUL characters")
	}
	return nil
}

// ChangeFromPhone delivers a change from phone to the devices of To (and to
// phone's own devices, as done from another device) and returns its id.
func (s *Server) ChangeFromPhone(phone string, in PhoneChange) (string, error) {
	to, ok := normalizeAddress(in.To)
	if !validPhone(phone) || !ok {
		return "", juta.Errorf(juta.EINVALID, "phones must be E.164")
	}
	if err := checkChange(in); err != nil {
		return "", err
	}
	ch := &wireChange{Kind: in.Kind, Targets: append([]string(nil), in.Targets...), Text: in.Text}
	s.mu.Lock()
	m, flush := s.postLocked(phone, to, wireMsg{Change: ch}, nil, false)
	s.mu.Unlock()
	s.flush(flush)
	return m.ID, nil
}

func (s *Server) apiChange(r *http.Request) (any, error) {
	var in PhoneChange
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	id, err := s.ChangeFromPhone(r.PathValue("phone"), in)
	if err != nil {
		return nil, err
	}
	return map[string]string{"id": id}, nil
}

// eventOf is the event a client reports for a delivered message.
func eventOf(m *wireMsg) juta.WAEvent {
	at := time.UnixMilli(m.SentAt)
	switch {
	case m.Names != nil:
		return juta.WANames{Names: m.Names}
	case m.Group != nil:
		return groupEvent(m)
	}
	ch := m.Change
	if ch == nil {
		return juta.WAIncoming{Chat: m.Chat, Sender: m.Sender, SenderName: m.Name, WAID: m.ID, FromMe: m.FromMe, Text: m.Text,
			Content: contentOf(m), SentAt: at, History: m.History}
	}
	out := juta.MessageChange{Chat: m.Chat, Sender: m.Sender, WAID: m.ID, Targets: ch.Targets, Text: ch.Text, At: at}
	switch ch.Kind {
	case changeEdit:
		out.Kind = juta.ChangeEdit
	case changeDelete:
		out.Kind = juta.ChangeDelete
	case changeReaction:
		out.Kind = juta.ChangeReaction
	case changeDelivered, changeRead:
		out.Kind, out.WAID, out.Status = juta.ChangeReceipt, "", juta.StatusDelivered
		if ch.Kind == changeRead {
			out.Status = juta.StatusRead
		}
	}
	return juta.WAChange{MessageChange: out}
}
