package whatsapp

import (
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/juta-app/juta"
)

// fileMessage is what every whatsmeow media message has: the reference that
// downloads it later and its type and size.
type fileMessage interface {
	GetDirectPath() string
	GetMediaKey() []byte
	GetFileSHA256() []byte
	GetFileEncSHA256() []byte
	GetMimetype() string
	GetFileLength() uint64
}

// contentOf returns a message's text (a media message's caption) and its
// content (zero for text). ok is false for what is not a conversation message at all: key
// distribution and protocol messages, poll votes, keep-in-chat markers, which
// carry nothing a user sees. Anything else that no case knows is kept as
// unsupported under its protobuf field name: never dropped.
func contentOf(m *waE2E.Message) (text string, c juta.Content, ok bool) {
	switch {
	case m.GetConversation() != "":
		return m.GetConversation(), juta.Content{}, true
	case m.GetExtendedTextMessage() != nil:
		return m.GetExtendedTextMessage().GetText(), juta.Content{}, true
	case m.GetImageMessage() != nil:
		x := m.GetImageMessage()
		return x.GetCaption(), withSize(fileContent(juta.KindImage, x), x.GetWidth(), x.GetHeight()), true
	case m.GetVideoMessage() != nil || m.GetPtvMessage() != nil:
		x := m.GetVideoMessage()
		if x == nil {
			x = m.GetPtvMessage()
		}
		c := withSize(fileContent(juta.KindVideo, x), x.GetWidth(), x.GetHeight())
		c.Duration = int(x.GetSeconds())
		return x.GetCaption(), c, true
	case m.GetAudioMessage() != nil:
		x := m.GetAudioMessage()
		kind := juta.KindAudio
		if x.GetPTT() {
			kind = juta.KindVoice
		}
		c := fileContent(kind, x)
		c.Duration = int(x.GetSeconds())
		return "", c, true
	case m.GetDocumentMessage() != nil:
		x := m.GetDocumentMessage()
		c := fileContent(juta.KindDocument, x)
		c.FileName = x.GetFileName()
		if c.FileName == "" {
			c.FileName = x.GetTitle()
		}
		return x.GetCaption(), c, true
	case m.GetStickerMessage() != nil:
		x := m.GetStickerMessage()
		return "", withSize(fileContent(juta.KindSticker, x), x.GetWidth(), x.GetHeight()), true
	}
	return otherContentOf(m)
}

// otherContentOf handles the kinds without a file.
func otherContentOf(m *waE2E.Message) (string, juta.Content, bool) {
	switch {
	case m.GetLocationMessage() != nil:
		x := m.GetLocationMessage()
		return x.GetComment(), juta.Content{Kind: juta.KindLocation, Location: &juta.Location{
			Latitude: x.GetDegreesLatitude(), Longitude: x.GetDegreesLongitude(), Name: x.GetName(), Address: x.GetAddress()}}, true
	case m.GetLiveLocationMessage() != nil:
		x := m.GetLiveLocationMessage()
		return x.GetCaption(), juta.Content{Kind: juta.KindLocation, Location: &juta.Location{
			Latitude: x.GetDegreesLatitude(), Longitude: x.GetDegreesLongitude(), Live: true}}, true
	case m.GetContactMessage() != nil:
		x := m.GetContactMessage()
		return "", juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: x.GetDisplayName(), VCard: x.GetVcard()}}}, true
	case m.GetContactsArrayMessage() != nil:
		c := juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{}}
		for _, x := range m.GetContactsArrayMessage().GetContacts() {
			c.Contacts = append(c.Contacts, juta.Contact{DisplayName: x.GetDisplayName(), VCard: x.GetVcard()})
		}
		return "", c, true
	}
	if p := pollOf(m); p != nil {
		c := juta.Content{Kind: juta.KindPoll, Poll: &juta.Poll{Name: p.GetName(), Options: []string{},
			SelectableCount: int(p.GetSelectableOptionsCount())}}
		for _, o := range p.GetOptions() {
			c.Poll.Options = append(c.Poll.Options, o.GetOptionName())
		}
		return "", c, true
	}
	name := typeName(m)
	if name == "" {
		return "", juta.Content{}, false
	}
	return "", juta.Content{Kind: juta.KindUnsupported, TypeName: name}, true
}

func pollOf(m *waE2E.Message) *waE2E.PollCreationMessage {
	for _, p := range []*waE2E.PollCreationMessage{m.GetPollCreationMessage(), m.GetPollCreationMessageV2(),
		m.GetPollCreationMessageV3(), m.GetPollCreationMessageV5()} {
		if p != nil {
			return p
		}
	}
	return nil
}

// notMessages are the fields of a waE2E.Message that carry no conversation
// message: a message made only of them is not shown in any chat.
var notMessages = map[protoreflect.Name]bool{
	"messageContextInfo":                         true,
	"senderKeyDistributionMessage":               true,
	"fastRatchetKeySenderKeyDistributionMessage": true,
	"protocolMessage":                            true,
	"pollUpdateMessage":                          true,
	"keepInChatMessage":                          true,
	"encReactionMessage":                         true,
	"stickerSyncRmrMessage":                      true,
	"reactionMessage":                            true,
	"call":                                       true,
	"placeholderMessage":                         true,
	"secretEncryptedMessage":                     true,
	"encEventResponseMessage":                    true,
	"encCommentMessage":                          true,
	"messageHistoryNotice":                       true,
	"pinInChatMessage":                           true,
	"associatedChildMessage":                     true,
	"statusNotificationMessage":                  true,
	"limitSharingMessage":                        true,
	"botInvokeMessage":                           true,
	"deviceSentMessage":                          true,
}

// typeName is the protobuf name of the first conversation field set in m,
// "" when there is none.
func typeName(m *waE2E.Message) string {
	if m == nil {
		return ""
	}
	// Range's order is undefined: the lowest field number decides.
	var first protoreflect.FieldDescriptor
	m.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		if !notMessages[fd.Name()] && (first == nil || fd.Number() < first.Number()) {
			first = fd
		}
		return true
	})
	if first == nil {
		return ""
	}
	return string(first.Name())
}

// fileContent describes a media message; without a path there is nothing to
// download, hence no reference.
func fileContent(kind juta.MessageKind, x fileMessage) juta.Content {
	c := juta.Content{Kind: kind, MIME: x.GetMimetype(), Size: int64(x.GetFileLength())}
	if x.GetDirectPath() != "" {
		c.Media = &juta.MediaRef{DirectPath: x.GetDirectPath(), MediaKey: x.GetMediaKey(), FileSHA256: x.GetFileSHA256(),
			FileEncSHA256: x.GetFileEncSHA256()}
	}
	return c
}

func withSize(c juta.Content, w, h uint32) juta.Content {
	c.Width, c.Height = int(w), int(h)
	return c
}
