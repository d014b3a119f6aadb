package actors

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"reflect"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/whatsapp/sim"
)

// Every kind a phone sends is stored once, with its content, although the
// network delivers each one twice; a photo's caption is detected like text.
func TestEveryKindStoredOnceEndToEnd(t *testing.T) {
	h := newHarnessWith(t, Config{DetectSweep: 50 * time.Millisecond, DueInterval: 50 * time.Millisecond}, func(d *Deps) {
		d.Actions = d.Messages.(juta.ActionStore) // the same Postgres store
		d.Detector = ai.NewRules(ai.Options{})
		d.Blobs = d.Messages.(juta.BlobStore) // the same Postgres store
	})
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
		{Text: "last", Name: "Kedai Ah Seng"},
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
	if name := h.messages(uid, s.ID)[0].SenderName; name != "Kedai Ah Seng" {
		t.Fatalf("sender name = %q", name)
	}
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
	// The file comes through the session into the user's blob store (no
	// bytes in the actors' replies), byte for byte.
	if err := h.rt.CacheMedia(ctxT(), uid, s.ID, photo.Kind, *photo.Media, photo.Size); err != nil {
		t.Fatalf("cache the photo: %v", err)
	}
	rc, _, err := h.db.ReadBlob(ctxT(), uid, photo.Media.FileSHA256, juta.WholeBlob)
	if err != nil {
		t.Fatalf("read the cached photo: %v", err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(data, slip) {
		t.Fatalf("cached %d bytes, %v", len(data), err)
	}
	other := h.user()
	if err := h.rt.CacheMedia(ctxT(), other, s.ID, photo.Kind, *photo.Media, photo.Size); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("another user's session: %v", err)
	}

	// The caption is what detection reads: the transfer request is found.
	eventually(t, "a payment action from the caption", func() bool {
		page, err := h.db.Actions(context.Background(), uid, juta.ActionFilter{Type: juta.ActionPayment}, "", 10)
		return err == nil && len(page.Items) == 1 && page.Items[0].MessageID == photo.ID
	})
	// A voice note with no transcript still asks for a reply.
	var voice juta.Message
	for _, m := range got {
		if m.Kind == juta.KindVoice {
			voice = m
		}
	}
	eventually(t, "a reply_needed action for the voice note", func() bool {
		page, err := h.db.Actions(context.Background(), uid, juta.ActionFilter{Type: juta.ActionReplyNeeded}, "", 50)
		if err != nil {
			return false
		}
		for _, a := range page.Items {
			if a.MessageID == voice.ID {
				return true
			}
		}
		return false
	})
}

// Edits, reactions, deletes and receipts from the network change the stored
// messages once each, although every one is delivered twice, and each change
// is one event on the log.
func TestChangesAppliedOnceEndToEnd(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	h.sim.SetDuplicateRate(1)
	const peer = "+60199990051"
	orig, err := h.sim.SendFromPhone(peer, phone, "jumpa 3pm")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := h.sim.SendFromPhone(peer, phone, "salah hantar")
	if err != nil {
		t.Fatal(err)
	}
	sent, err := h.rt.SendText(ctxT(), uid, s.ID, peer, "invoice RM120", "")
	if err != nil {
		t.Fatal(err)
	}
	changes := []sim.PhoneChange{
		{Kind: "edit", Targets: []string{orig}, Text: "jumpa 4pm"},
		{Kind: "reaction", Targets: []string{orig}, Text: "👍"},
		{Kind: "delete", Targets: []string{gone}},
		{Kind: "delivered", Targets: []string{sent.WAID}},
		{Kind: "read", Targets: []string{sent.WAID}},
	}
	for _, ch := range changes {
		ch.To = phone
		if _, err := h.sim.ChangeFromPhone(peer, ch); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "every duplicate delivered", func() bool { return h.sim.Stats().Duplicates >= 2+len(changes) })
	// Deliveries are in order: once this is stored, every duplicate before it was handled.
	if _, err := h.sim.SendFromPhone(peer, phone, "closing"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the closing message", func() bool { return h.messages(uid, s.ID)[0].Text == "closing" })

	byWAID := map[string]juta.Message{}
	for _, m := range h.messages(uid, s.ID) {
		byWAID[m.WAID] = m
	}
	if m := byWAID[orig]; m.Text != "jumpa 4pm" || m.EditedAt == nil || len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" {
		t.Fatalf("edited message = %+v", m)
	}
	if m := byWAID[gone]; m.DeletedAt == nil || m.Text != "" {
		t.Fatalf("deleted message = %+v", m)
	}
	if m := byWAID[sent.WAID]; m.Status != juta.StatusRead {
		t.Fatalf("sent message status = %q", m.Status)
	}
	vs, err := h.db.MessageVersions(ctxT(), uid, s.ID, byWAID[orig].ID)
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	evs, err := h.db.EventsAfter(ctxT(), uid, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, ev := range evs {
		counts[ev.Type]++
	}
	want := map[string]int{juta.EventMessageEdited: 1, juta.EventMessageReaction: 1, juta.EventMessageDeleted: 1, juta.EventMessageStatus: 2}
	for typ, n := range want {
		if counts[typ] != n {
			t.Fatalf("%s events = %d, want %d (all: %v)", typ, counts[typ], n, counts)
		}
	}

	// A change reaches live subscribers by itself, with nothing after it.
	sub, err := h.rt.Subscribe(ctxT(), uid, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if _, err := h.sim.ChangeFromPhone(peer, sim.PhoneChange{To: phone, Kind: "reaction", Targets: []string{orig}, Text: "❤️"}); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, sub, juta.EventMessageReaction); !bytes.Contains(ev.Data, []byte("❤️")) {
		t.Fatalf("live reaction event = %s", ev.Data)
	}
}

// The history batch a new link brings is stored once, marked, and raises no
// actions; messages after it are live as usual.
func TestHistoryBatchOnLinking(t *testing.T) {
	h := detectingHarness(t, Config{})
	h.sim.SetHistory(50)
	h.sim.SetDuplicateRate(1)
	uid, phone := h.user(), newPhone()
	const peer = "+60199990052"
	for _, text := range []string{"boleh transfer RM250 before Friday?", "jumpa esok 3pm"} {
		if _, err := h.sim.SendFromPhone(peer, phone, text); err != nil {
			t.Fatal(err)
		}
	}
	s := h.link(uid, phone)
	eventually(t, "the history batch", func() bool { return len(h.messages(uid, s.ID)) == 2 })
	if _, err := h.sim.SendFromPhone(peer, phone, "boleh transfer RM300 before Monday?"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the live message detected", func() bool {
		page, err := h.db.Actions(context.Background(), uid, juta.ActionFilter{Type: juta.ActionPayment}, "", 10)
		return err == nil && len(page.Items) >= 1
	})
	// The detection sweep has nothing left: history was stored as detected.
	eventually(t, "the detection queue drained", func() bool {
		pending, err := h.db.PendingDetections(context.Background(), 100, 0, nil)
		return err == nil && len(pending) == 0
	})
	ms := h.messages(uid, s.ID)
	if len(ms) != 3 || ms[0].History || !ms[1].History || !ms[2].History {
		t.Fatalf("messages = %+v", ms)
	}
	page, err := h.db.Actions(context.Background(), uid, juta.ActionFilter{}, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range page.Items {
		if a.MessageID != ms[0].ID {
			t.Fatalf("an action from a history message: %+v", a)
		}
	}
}
