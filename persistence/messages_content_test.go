package persistence_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// contentCases holds one message of every kind with everything it can carry.
func contentCases() []juta.Content {
	media := func() *juta.MediaRef {
		return &juta.MediaRef{DirectPath: "/v/t62.7118-24/abc", MediaKey: []byte("secret-media-key-32-bytes-long!!"),
			FileSHA256: []byte{1, 2, 3}, FileEncSHA256: []byte{4, 5, 6}}
	}
	return []juta.Content{
		{Kind: juta.KindText},
		{Kind: juta.KindImage, MIME: "image/jpeg", Size: 52344, Width: 1280, Height: 960, Media: media()},
		{Kind: juta.KindVideo, MIME: "video/mp4", Size: 1 << 20, Duration: 12, Width: 640, Height: 360, Media: media()},
		{Kind: juta.KindAudio, MIME: "audio/mpeg", Size: 40000, Duration: 95, Media: media()},
		{Kind: juta.KindVoice, MIME: "audio/ogg; codecs=opus", Size: 9000, Duration: 7, Media: media()},
		{Kind: juta.KindDocument, FileName: "senarai harga.pdf", MIME: "application/pdf", Size: 200000, Media: media()},
		{Kind: juta.KindSticker, MIME: "image/webp", Size: 3000, Width: 512, Height: 512, Media: media()},
		{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 3.1579, Longitude: 101.7116, Name: "KLCC", Address: "Kuala Lumpur"}},
		{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "Ah Seng", VCard: "BEGIN:VCARD\nEND:VCARD"}}},
		{Kind: juta.KindPoll, Poll: &juta.Poll{Name: "Makan mana?", Options: []string{"Nasi lemak", "Roti canai"}, SelectableCount: 1}},
		{Kind: juta.KindUnsupported, TypeName: "groupInviteMessage"},
	}
}

func TestStoreMessageKeepsEveryKind(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	cases := contentCases()
	for i, c := range cases {
		m := msg(s, fmt.Sprintf("K%d", i), "caption "+c.Kind.String())
		m.Content, m.SenderName = c, "Ah Seng"
		stored, ev, inserted, err := db.StoreMessage(ctx, m)
		if err != nil || !inserted {
			t.Fatalf("%s: store = %v, inserted %v", c.Kind, err, inserted)
		}
		if !reflect.DeepEqual(stored.Content, c) || stored.SenderName != "Ah Seng" {
			t.Fatalf("%s: stored content = %+v, want %+v", c.Kind, stored.Content, c)
		}
		if c.Media != nil && bytes.Contains(ev.Data, []byte("secret-media-key")) || bytes.Contains(ev.Data, []byte("t62.7118")) {
			t.Fatalf("%s: event leaks the media reference: %s", c.Kind, ev.Data)
		}
		var got struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(ev.Data, &got); err != nil || got.Kind != c.Kind.String() {
			t.Fatalf("%s: event kind = %q (%v)", c.Kind, got.Kind, err)
		}
	}
	page, err := db.Messages(ctx, u.ID, s.ID, "", 0)
	if err != nil || len(page.Items) != len(cases) {
		t.Fatalf("list = %d items, %v", len(page.Items), err)
	}
	for i, m := range page.Items {
		want := cases[len(cases)-1-i]
		if !reflect.DeepEqual(m.Content, want) {
			t.Fatalf("listed %s = %+v, want %+v", want.Kind, m.Content, want)
		}
	}
}

func TestStoreMessageRefusesBadContent(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	for name, c := range map[string]juta.Content{
		"unknown kind":      {Kind: "hologram"},
		"NUL in file name":  {Kind: juta.KindDocument, FileName: "a\x00b"},
		"bad UTF-8 in poll": {Kind: juta.KindPoll, Poll: &juta.Poll{Name: "q", Options: []string{"\xff"}}},
	} {
		m := msg(s, "BAD", "")
		m.Content = c
		_, _, _, err := db.StoreMessage(ctx, m)
		wantCode(t, err, juta.EINVALID)
		_ = name
	}
}
