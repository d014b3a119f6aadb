package whatsapp

import (
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/juta-app/juta"
)

// contextual is what every whatsmeow message that can reply to another
// has: the context info naming the quoted message.
type contextual interface {
	GetContextInfo() *waE2E.ContextInfo
}

// quoteOf names the message m replies to, nil when it replies to none: the
// quoted message's stanza id and its sender (the participant, "" when
// WhatsApp left it out). Whichever field of m carries the conversation
// message carries the context info, so every kind is read alike.
func quoteOf(m *waE2E.Message) *juta.Quote {
	var ci *waE2E.ContextInfo
	m.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind || notMessages[fd.Name()] {
			return true
		}
		if x, ok := v.Message().Interface().(contextual); ok && x.GetContextInfo().GetStanzaID() != "" {
			ci = x.GetContextInfo()
			return false
		}
		return true
	})
	if ci == nil {
		return nil
	}
	q := &juta.Quote{WAID: ci.GetStanzaID()}
	if p, err := types.ParseJID(ci.GetParticipant()); err == nil && p.User != "" {
		q.Sender = address(p)
	}
	return q
}
