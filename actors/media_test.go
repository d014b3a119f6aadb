package actors

import (
	"bytes"
	"context"
	"crypto/sha256"
	"reflect"
	"testing"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/whatsapp/sim"
)

// Every kind a phone sends is stored once, with its content, although the
// network delivers each one twice; a photo's caption is detected like text.
func TestEveryKindStoredOnceEndToEnd(t *testing.T) {
	h := detectingHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	h.sim.SetDuplicateRate(1)
	slip := bytes.Repeat([]byte{0xff, 0xd8, 0x42}, 3000)
	sum := sha256.Sum256(slip)
	const from = "+60199990050"
	sent := []sim.PhoneMessage{
		{Text: "boleh transfer RM250 before Friday?", Data: slip, Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Width: 600, Height: 800}},
		{Data: []byte("OggS"), Content: juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg", Duration: 3}},
		{Data: []byte("%PDF-1.4"), Content: juta.Content{Kind: juta.KindDocument, FileName: "harga.pdf", MIME: "application/pdf"}},
		{Data: []byte("RIFF"), Content: juta.Content{Kind: juta.KindSticker, MIME: "image/webp"}},
		{Data: []byte("ID3"), Content: juta.Content{Kind: juta.KindAudio, MIME: "audio/mpeg"}},
		{Data: []byte("mp4"), Content: juta.Content{Kind: juta.KindVideo, MIME: "video/mp4", Duration: 9}},
		{Content: juta.Content{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 3.15, Longitude: 101.71}}},
		{Content: juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "Ah Seng", VCard: "BEGIN:VCARD"}}}},
		{Content: juta.Content{Kind: juta.KindPoll, Poll: &juta.Poll{Name: "Bila?", Options: []string{"Isnin", "Selasa"}}}},
		{Content: juta.Content{Kind: juta.KindUnsupported, TypeName: "groupInviteMessage"}},
		{Text: "last"},
	}
	for _, m := range sent {
		m.To = phone
		if _, err := h.sim.SendMessageFromPhone(from, m); err != nil {
			t.Fatal(err)
		}
	}
	// Deliveries are in order: once "last" and its duplicate are through,
	// every earlier duplicate was handled too.
	eventually(t, "every message stored", func() bool {
		ms := h.messages(uid, s.ID)
		return len(ms) == len(sent) && ms[0].Text == "last"
	})
	eventually(t, "every duplicate delivered", func() bool { return h.sim.Stats().Duplicates >= len(sent) })
	if _, err := h.sim.SendFromPhone(from, phone, "after the duplicates"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the closing message", func() bool { return h.messages(uid, s.ID)[0].Text == "after the duplicates" })
	got := h.messages(uid, s.ID)
	if len(got) != len(sent)+1 {
		t.Fatalf("stored %d messages, want %d: duplicates were stored", len(got), len(sent)+1)
	}
	for i, m := range sent {
		stored := got[len(sent)-i]
		if stored.Kind.String() != m.Kind.String() || stored.Text != m.Text {
			t.Fatalf("message %d stored as %s %q, want %s %q", i, stored.Kind, stored.Text, m.Kind, m.Text)
		}
		if m.Kind.HasMedia() && (stored.Media == nil || stored.Media.DirectPath == "" || stored.Size != int64(len(m.Data))) {
			t.Fatalf("message %d: media reference %+v, size %d", i, stored.Media, stored.Size)
		}
	}
	photo := got[len(sent)]
	if !bytes.Equal(photo.Media.FileSHA256, sum[:]) || photo.Width != 600 || photo.MIME != "image/jpeg" {
		t.Fatalf("photo = %+v", photo.Content)
	}
	if poll := got[len(sent)-8]; !reflect.DeepEqual(poll.Poll, sent[8].Poll) {
		t.Fatalf("poll = %+v", poll.Poll)
	}

	// The caption is what detection reads: the transfer request is found.
	eventually(t, "a payment action from the caption", func() bool {
		page, err := h.db.Actions(context.Background(), uid, juta.ActionFilter{Type: juta.ActionPayment}, "", 10)
		return err == nil && len(page.Items) == 1 && page.Items[0].MessageID == photo.ID
	})
}
