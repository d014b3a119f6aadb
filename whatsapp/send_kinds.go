package whatsapp

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

// uploadTypes are whatsmeow's upload kinds (the media key's HKDF info) per
// message kind; a sticker is encrypted as an image.
var uploadTypes = map[juta.MessageKind]whatsmeow.MediaType{
	juta.KindImage: whatsmeow.MediaImage, juta.KindSticker: whatsmeow.MediaImage,
	juta.KindVideo: whatsmeow.MediaVideo, juta.KindAudio: whatsmeow.MediaAudio, juta.KindVoice: whatsmeow.MediaAudio,
	juta.KindDocument: whatsmeow.MediaDocument,
}

// SendMessage sends a reply, a location, contact cards or a file to the
// E.164 phone or JID under waID ("" = a new one). A file is encrypted and
// uploaded to WhatsApp's media servers first; the answer's Media is what
// downloads it again. ESTATE when not logged in; EINVALID for a recipient or
// content WhatsApp cannot take.
func (c *Client) SendMessage(ctx context.Context, to string, out juta.WAOutgoing, waID string) (juta.WASent, error) {
	jid, err := parseRecipient(to)
	if err != nil {
		return juta.WASent{}, err
	}
	if !c.wa.IsLoggedIn() {
		return juta.WASent{}, juta.Errorf(juta.ESTATE, "not connected")
	}
	var up *whatsmeow.UploadResponse
	if kind := out.Content.Kind; kind.HasMedia() {
		r, err := c.upload(ctx, out.File, uploadTypes[kind])
		if err != nil {
			return juta.WASent{}, fmt.Errorf("upload %s from session %d: %w", kind, c.sid, err)
		}
		up = &r
	}
	var self types.JID
	if c.wa.Store.ID != nil {
		self = c.wa.Store.ID.ToNonAD()
	}
	m, err := outgoingMessage(out, up, self)
	if err != nil {
		return juta.WASent{}, err
	}
	resp, err := c.wa.SendMessage(ctx, jid, m, whatsmeow.SendRequestExtra{ID: types.MessageID(waID)})
	if err != nil {
		return juta.WASent{}, fmt.Errorf("send %s from session %d: %w", out.Content.Kind, c.sid, err)
	}
	sent := juta.WASent{ID: resp.ID, SentAt: resp.Timestamp}
	if up != nil {
		sent.Media = &juta.MediaRef{DirectPath: up.DirectPath, MediaKey: up.MediaKey, FileSHA256: up.FileSHA256,
			FileEncSHA256: up.FileEncSHA256}
	}
	return sent, nil
}

// upload encrypts the file into a temporary file (WhatsApp's media servers
// take the ciphertext with its checksum in the URL, known only at the end)
// and uploads it from there; the file is deleted after.
func (c *Client) upload(ctx context.Context, file io.Reader, mt whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	if file == nil {
		return whatsmeow.UploadResponse{}, juta.Errorf(juta.EINVALID, "a file to send has no bytes")
	}
	tmp, err := os.CreateTemp("", "juta-send-*")
	if err != nil {
		return whatsmeow.UploadResponse{}, fmt.Errorf("temporary file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	return c.wa.UploadReader(ctx, file, tmp, mt)
}

// outgoingMessage is the WhatsApp message for out: up is the uploaded file
// of a media kind, self the user's own JID (the participant of a quoted
// message of their own).
func outgoingMessage(out juta.WAOutgoing, up *whatsmeow.UploadResponse, self types.JID) (*waE2E.Message, error) {
	ci, err := quoteContext(out, self)
	if err != nil {
		return nil, err
	}
	c := out.Content
	if c.Kind.HasMedia() {
		if up == nil {
			return nil, juta.Errorf(juta.EINVALID, "a %s needs its uploaded file", c.Kind)
		}
		return mediaMessage(out, up, ci), nil
	}
	switch c.Kind {
	case juta.KindLocation:
		l := c.Location
		return &waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(l.Latitude),
			DegreesLongitude: proto.Float64(l.Longitude), Name: optString(l.Name), Address: optString(l.Address), ContextInfo: ci}}, nil
	case juta.KindContact:
		return contactsMessage(c.Contacts, ci), nil
	case "", juta.KindText:
		if ci == nil {
			return &waE2E.Message{Conversation: proto.String(out.Text)}, nil
		}
		return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(out.Text), ContextInfo: ci}}, nil
	}
	return nil, juta.Errorf(juta.EINVALID, "a %s cannot be sent", c.Kind)
}

// quoteContext names the quoted message as WhatsApp's replies do: its id,
// its sender (the participant) and its text, which phones show above the
// reply. nil when out quotes nothing.
func quoteContext(out juta.WAOutgoing, self types.JID) (*waE2E.ContextInfo, error) {
	q := out.Quoted
	if q == nil {
		return nil, nil
	}
	participant := self
	if !q.FromMe {
		p, err := parseRecipient(q.Sender)
		if err != nil {
			return nil, err
		}
		participant = p
	}
	ci := &waE2E.ContextInfo{StanzaID: proto.String(q.WAID), QuotedMessage: &waE2E.Message{Conversation: proto.String(out.QuotedText)}}
	if !participant.IsEmpty() {
		ci.Participant = proto.String(participant.String())
	}
	return ci, nil
}

// mediaMessage is the message of an uploaded file of out's kind.
func mediaMessage(out juta.WAOutgoing, up *whatsmeow.UploadResponse, ci *waE2E.ContextInfo) *waE2E.Message {
	c, size := out.Content, proto.Uint64(up.FileLength)
	url, path, mime, caption := proto.String(up.URL), proto.String(up.DirectPath), proto.String(c.MIME), optString(out.Text)
	switch c.Kind {
	case juta.KindImage:
		return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{URL: url, DirectPath: path, Mimetype: mime, Caption: caption,
			MediaKey: up.MediaKey, FileSHA256: up.FileSHA256, FileEncSHA256: up.FileEncSHA256, FileLength: size, ContextInfo: ci}}
	case juta.KindVideo:
		return &waE2E.Message{VideoMessage: &waE2E.VideoMessage{URL: url, DirectPath: path, Mimetype: mime, Caption: caption,
			Seconds: optSeconds(c.Duration), MediaKey: up.MediaKey, FileSHA256: up.FileSHA256, FileEncSHA256: up.FileEncSHA256,
			FileLength: size, ContextInfo: ci}}
	case juta.KindAudio, juta.KindVoice:
		return &waE2E.Message{AudioMessage: &waE2E.AudioMessage{URL: url, DirectPath: path, Mimetype: mime,
			PTT: proto.Bool(c.Kind == juta.KindVoice), Seconds: optSeconds(c.Duration), MediaKey: up.MediaKey,
			FileSHA256: up.FileSHA256, FileEncSHA256: up.FileEncSHA256, FileLength: size, ContextInfo: ci}}
	case juta.KindSticker:
		return &waE2E.Message{StickerMessage: &waE2E.StickerMessage{URL: url, DirectPath: path, Mimetype: mime,
			MediaKey: up.MediaKey, FileSHA256: up.FileSHA256, FileEncSHA256: up.FileEncSHA256, FileLength: size, ContextInfo: ci}}
	}
	name := c.FileName
	if name == "" {
		name = "file"
	}
	return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{URL: url, DirectPath: path, Mimetype: mime, Caption: caption,
		FileName: proto.String(name), Title: proto.String(name), MediaKey: up.MediaKey, FileSHA256: up.FileSHA256,
		FileEncSHA256: up.FileEncSHA256, FileLength: size, ContextInfo: ci}}
}

// contactsMessage is one contact card, or several as WhatsApp's contacts
// array (whose display name is what a chat list shows).
func contactsMessage(cs []juta.Contact, ci *waE2E.ContextInfo) *waE2E.Message {
	cards := make([]*waE2E.ContactMessage, len(cs))
	for i, k := range cs {
		cards[i] = &waE2E.ContactMessage{DisplayName: proto.String(k.DisplayName), Vcard: proto.String(vcardOf(k))}
	}
	if len(cards) == 1 {
		cards[0].ContextInfo = ci
		return &waE2E.Message{ContactMessage: cards[0]}
	}
	return &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{
		DisplayName: proto.String(fmt.Sprintf("%d contacts", len(cards))), Contacts: cards, ContextInfo: ci}}
}

// vcardOf is the card's vCard, or a minimal vCard 3.0 (RFC 2426) with the
// name alone when the caller gave none.
func vcardOf(k juta.Contact) string {
	if k.VCard != "" {
		return k.VCard
	}
	return "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + vcardEscape.Replace(k.DisplayName) + "\r\nEND:VCARD\r\n"
}

// vcardEscape escapes a text value as RFC 2426 section 4 says.
var vcardEscape = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", "", ",", `\,`, ";", `\;`)

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return proto.String(s)
}

func optSeconds(n int) *uint32 {
	if n <= 0 {
		return nil
	}
	return proto.Uint32(uint32(n))
}
