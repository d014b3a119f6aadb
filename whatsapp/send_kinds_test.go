package whatsapp

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	"github.com/juta-app/juta"
)

// Every kind the user sends becomes the WhatsApp message whatsmeow would
// put on the wire after the upload, and reads back through Juta's own
// receiving path as the same kind and content: a file with its upload's
// reference, type, caption and push-to-talk flag, a location, one or
// several contact cards, and a reply naming the quoted message.
func TestOutgoingMessagesReadBackAsSent(t *testing.T) {
	self := types.NewJID("60111111111", types.DefaultUserServer)
	up := &whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net/x", DirectPath: "/v/t62/x", MediaKey: bytes.Repeat([]byte{1}, 32),
		FileEncSHA256: bytes.Repeat([]byte{2}, 32), FileSHA256: bytes.Repeat([]byte{3}, 32), FileLength: 1234}
	quoted := &juta.MessageKey{WAID: "ABC1", Sender: "+60123456789"}
	for _, tc := range []struct {
		name string
		out  juta.WAOutgoing
	}{
		{"image with caption", juta.WAOutgoing{Text: "dah bayar", Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg"}}},
		{"video", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindVideo, MIME: "video/mp4", Duration: 9}}},
		{"audio", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindAudio, MIME: "audio/mpeg"}}},
		{"voice note", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg; codecs=opus", Duration: 4}}},
		{"document", juta.WAOutgoing{Text: "senarai", Content: juta.Content{Kind: juta.KindDocument, MIME: "application/pdf", FileName: "harga.pdf"}}},
		{"sticker", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindSticker, MIME: "image/webp"}}},
		{"location", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 3.139, Longitude: 101.6869, Name: "Kedai"}}}},
		{"one contact", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "Ali"}}}}},
		{"two contacts", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "Ali", VCard: "BEGIN:VCARD\r\nFN:Ali\r\nEND:VCARD"}, {DisplayName: "Abu"}}}}},
		{"reply", juta.WAOutgoing{Text: "ok, esok", Quoted: quoted, QuotedText: "hantar esok?"}},
	} {
		var u *whatsmeow.UploadResponse
		if tc.out.Content.Kind.HasMedia() {
			u = up
		}
		m, err := outgoingMessage(tc.out, u, self)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		text, c, ok := contentOf(m)
		if !ok || text != tc.out.Text || c.Kind.String() != tc.out.Content.Kind.String() {
			t.Fatalf("%s: read back %q %+v (ok %v)", tc.name, text, c, ok)
		}
		if u != nil {
			r := c.Media
			if r == nil || r.DirectPath != up.DirectPath || !bytes.Equal(r.MediaKey, up.MediaKey) || !bytes.Equal(r.FileSHA256, up.FileSHA256) ||
				!bytes.Equal(r.FileEncSHA256, up.FileEncSHA256) || c.Size != 1234 || c.MIME != tc.out.Content.MIME || c.Duration != tc.out.Content.Duration {
				t.Errorf("%s: file read back as %+v (media %+v)", tc.name, c, r)
			}
			if c.FileName != tc.out.Content.FileName {
				t.Errorf("%s: file name %q", tc.name, c.FileName)
			}
		}
		if l := tc.out.Content.Location; l != nil && (c.Location == nil || *c.Location != *l) {
			t.Errorf("%s: location %+v", tc.name, c.Location)
		}
		if n := len(tc.out.Content.Contacts); n > 0 && (len(c.Contacts) != n || c.Contacts[0].DisplayName != "Ali" || c.Contacts[0].VCard == "") {
			t.Errorf("%s: contacts %+v", tc.name, c.Contacts)
		}
		if tc.out.Quoted != nil {
			ci := m.GetExtendedTextMessage().GetContextInfo()
			if ci.GetStanzaID() != "ABC1" || ci.GetParticipant() != "60123456789@s.whatsapp.net" || ci.GetQuotedMessage().GetConversation() != "hantar esok?" {
				t.Errorf("%s: context %v", tc.name, ci)
			}
		}
	}
	if _, err := outgoingMessage(juta.WAOutgoing{Content: juta.Content{Kind: juta.KindImage}}, nil, self); juta.ErrorCode(err) != juta.EINVALID {
		t.Errorf("an image without its upload: %v", err)
	}
	if _, err := outgoingMessage(juta.WAOutgoing{Content: juta.Content{Kind: juta.KindPoll}}, nil, self); juta.ErrorCode(err) != juta.EINVALID {
		t.Errorf("a poll: %v", err)
	}
}

// A reply to the user's own message names the user as its participant.
func TestReplyToOwnMessageNamesTheUser(t *testing.T) {
	self := types.NewJID("60111111111", types.DefaultUserServer)
	m, err := outgoingMessage(juta.WAOutgoing{Text: "lagi", Quoted: &juta.MessageKey{WAID: "3EB0AA", Sender: "+60111111111", FromMe: true}}, nil, self)
	if err != nil || m.GetExtendedTextMessage().GetContextInfo().GetParticipant() != self.String() {
		t.Fatalf("%v, %v", m, err)
	}
}

// A card made from a name alone escapes what vCard reserves, so a name
// cannot add fields to the card.
func TestVCardOfANameIsEscaped(t *testing.T) {
	got := vcardOf(juta.Contact{DisplayName: "Ali\r\nTEL:+6000;x,y"})
	want := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ali\\nTEL:+6000\\;x\\,y\r\nEND:VCARD\r\n"
	if got != want {
		t.Fatalf("vcard %q, want %q", got, want)
	}
}

// An unconnected client refuses a send before uploading anything.
func TestSendMessageNeedsAConnection(t *testing.T) {
	rec := &recorder{}
	c := mustClient(t, mustProvider(t), "", rec.handle)
	_, err := c.SendMessage(context.Background(), "+60123456789", juta.WAOutgoing{Content: juta.Content{Kind: juta.KindImage, MIME: "image/png", Size: 1}, File: strings.NewReader("x")}, "")
	if juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("err = %v, want invalid_state", err)
	}
}
