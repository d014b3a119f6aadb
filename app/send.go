// Package app is the application layer: workflows that span stores and
// WhatsApp live here, so that the HTTP handlers only decode a request and
// write its answer. It imports the root package and the standard library only.
package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/juta-app/juta"
)

// Sends carries out the user's sends and changes of messages: each claimed
// under its Idempotency-Key, paced and sent by the session (Runtime), and
// recorded before it is reported sent.
type Sends struct {
	Runtime juta.Runtime
	// Messages re-reads a changed message so the answer shows the change;
	// nil answers the message as the runtime returns it.
	Messages juta.MessageStore
	Keys     *Keys
	// Blobs keeps the files users upload; Quota bounds each user's (bytes,
	// 0: no limit).
	Blobs juta.BlobStore
	Quota int64
	// Voice makes voice notes of browsers' recordings (WebM) uploaded as
	// such; nil refuses them (EMEDIATYPE).
	Voice juta.VoiceRemuxer
	// Uploads keeps the parts of chunked uploads; nil refuses them.
	Uploads juta.UploadStore
}

// Send is one send a caller asks for: a text, or with ReactTo a reaction,
// or with Edit an edit of the user's own message.
type Send struct {
	Actor   juta.UserID // who asks: the Idempotency-Key is its own
	Owner   juta.UserID // whose session it is
	Session juta.SessionID
	Key     string // Idempotency-Key, "" for none
	To      string // E.164 phone or JID, already checked
	Text    string
	ReactTo int64
	Emoji   *string
	Edit    int64
	// Quote replies to that stored message of the chat.
	Quote int64
	// Location or Contacts send one of those; MediaID an uploaded file (Text
	// its caption).
	Location *juta.Location
	Contacts []juta.Contact
	MediaID  string
}

// Delete asks to delete the user's own message for everyone.
type Delete struct {
	Actor   juta.UserID
	Owner   juta.UserID
	Session juta.SessionID
	Key     string
	Message int64
}

// Send sends r and answers 201 with the stored message. Under a key a retry
// gets the first answer and never sends twice: the message goes out under a
// WhatsApp id derived from the key, so when the first answer was lost (503)
// the key is released and the retry sends under the same id, which WhatsApp
// delivers and the store records once.
func (s *Sends) Send(ctx context.Context, r Send) (Answer, error) {
	// The request as the key remembers it: what was asked, not how it was
	// spelled.
	fingerprint, _ := json.Marshal(struct {
		Route    string
		SID      juta.SessionID
		To       string
		Text     string
		React    int64          `json:",omitempty"`
		Emoji    *string        `json:",omitempty"`
		Edit     int64          `json:",omitempty"`
		Quote    int64          `json:",omitempty"`
		Location *juta.Location `json:",omitempty"`
		Contacts []juta.Contact `json:",omitempty"`
		Media    string         `json:",omitempty"`
	}{"send", r.Session, r.To, r.Text, r.ReactTo, r.Emoji, r.Edit, r.Quote, r.Location, r.Contacts, r.MediaID})
	return s.Keys.Run(ctx, r.Actor, r.Key, fingerprint, func(ctx context.Context) (Answer, error) {
		waID := ""
		if r.Key != "" {
			waID = KeyedMessageID(r.Actor, r.Session, r.Key)
		}
		m, err := s.send(ctx, r, waID)
		if err != nil {
			err = fmt.Errorf("send through session %d of user %d: %w", r.Session, r.Owner, err)
		}
		return sentAnswer(http.StatusCreated, m, err, waID != "")
	})
}

// send sends what r asks for: a reaction, an edit, a plain text, or a
// reply, location, contact cards or file.
func (s *Sends) send(ctx context.Context, r Send, waID string) (juta.Message, error) {
	switch {
	case r.Emoji != nil:
		return s.change(ctx, r.Owner, r.Session, r.To, r.ReactTo, juta.ChangeReaction, *r.Emoji, waID)
	case r.Edit != 0:
		return s.change(ctx, r.Owner, r.Session, r.To, r.Edit, juta.ChangeEdit, r.Text, waID)
	case r.Quote == 0 && r.Location == nil && r.Contacts == nil && r.MediaID == "":
		return s.Runtime.SendText(ctx, r.Owner, r.Session, r.To, r.Text, waID)
	}
	out, err := outgoing(r)
	if err != nil {
		return juta.Message{}, err
	}
	m, err := s.Runtime.Send(ctx, r.Owner, r.Session, out, waID)
	if err != nil || s.Messages == nil {
		return m, err
	}
	// The runtime answers what crosses nodes cheaply; the stored row has
	// the content.
	return s.Messages.Message(ctx, r.Owner, r.Session, m.ID)
}

// outgoing is the juta.Outgoing of r.
func outgoing(r Send) (juta.Outgoing, error) {
	out := juta.Outgoing{To: r.To, Text: r.Text, Quote: r.Quote}
	switch {
	case r.Location != nil:
		l := *r.Location
		out.Content = juta.Content{Kind: juta.KindLocation, Location: &l}
	case r.Contacts != nil:
		out.Content = juta.Content{Kind: juta.KindContact, Contacts: append([]juta.Contact(nil), r.Contacts...)}
	case r.MediaID != "":
		c, err := mediaContent(r.MediaID)
		if err != nil {
			return juta.Outgoing{}, err
		}
		out.Content = c
	default:
		out.Content = juta.Content{Kind: juta.KindText}
	}
	return out, juta.CheckOutgoingContent(&out)
}

// Delete deletes the user's own message for everyone, records it and answers
// 200 with the message as it is now. Keyed and paced like a send.
func (s *Sends) Delete(ctx context.Context, r Delete) (Answer, error) {
	if s.Messages == nil {
		return Answer{}, juta.Errorf(juta.EUNAVAILABLE, "messages are not available")
	}
	fingerprint, _ := json.Marshal(struct {
		Route string
		SID   juta.SessionID
		ID    int64
	}{"delete", r.Session, r.Message})
	return s.Keys.Run(ctx, r.Actor, r.Key, fingerprint, func(ctx context.Context) (Answer, error) {
		m, err := s.Messages.Message(ctx, r.Owner, r.Session, r.Message)
		if err != nil {
			return Answer{}, fmt.Errorf("delete message %d: %w", r.Message, err)
		}
		waID := ""
		if r.Key != "" {
			waID = KeyedMessageID(r.Actor, r.Session, "delete\x00"+r.Key)
		}
		m, err = s.change(ctx, r.Owner, r.Session, m.Chat, r.Message, juta.ChangeDelete, "", waID)
		if err != nil {
			err = fmt.Errorf("delete message %d through session %d: %w", r.Message, r.Session, err)
		}
		return sentAnswer(http.StatusOK, m, err, waID != "")
	})
}

// change sends a change of the stored message target and answers the
// message as stored after it (its reactions, new text or deletion).
func (s *Sends) change(ctx context.Context, uid juta.UserID, sid juta.SessionID, to string, target int64, kind juta.ChangeKind, text, waID string) (juta.Message, error) {
	m, err := s.Runtime.SendChange(ctx, uid, sid, to, target, kind, text, waID)
	if err != nil || s.Messages == nil {
		return m, err
	}
	return s.Messages.Message(ctx, uid, sid, m.ID)
}

// sentAnswer is the answer to a send (text or change) that ended in m or
// err. A keyed send whose outcome is unknown (EUNAVAILABLE: it may have gone
// out) is left repeatable: the retry sends under the same WhatsApp id, which
// is delivered and stored once.
func sentAnswer(status int, m juta.Message, err error, keyed bool) (Answer, error) {
	if err != nil {
		if keyed && juta.ErrorCode(err) == juta.EUNAVAILABLE {
			err = Repeatable(err)
		}
		return Answer{}, err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return Answer{}, fmt.Errorf("encode message %d: %w", m.ID, err)
	}
	return Answer{Status: status, Body: body}, nil
}

// KeyedMessageID is the WhatsApp message id of a send under an
// Idempotency-Key: the same for every retry by the same caller through the
// same session, unguessable from outside. The "3EB0" prefix and upper-case
// hex follow the ids WhatsApp Web clients generate (as whatsmeow's
// GenerateMessageID does).
func KeyedMessageID(uid juta.UserID, sid juta.SessionID, key string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "juta-send\x00%d\x00%d\x00%s", uid, sid, key))
	return "3EB0" + strings.ToUpper(hex.EncodeToString(sum[:16]))
}
