package api

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// The hand-written page encoder must write exactly what encoding/json writes.
func TestAppendMessagePageMatchesEncodingJSON(t *testing.T) {
	kl := time.FixedZone("", 8*3600)
	kt := time.Date(2025, 5, 2, 9, 0, 0, 0, kl)
	pages := []juta.Page[juta.Message]{
		{},
		{Items: []juta.Message{}},
		{Items: []juta.Message{{ID: 1, UserID: 7, SessionID: 2, Chat: "+60123456789", Sender: "+60123456789",
			WAID: "3EB0ABC", Text: "meet at 3pm <tmr> & \"bring\" \\ docs\n\tok\b\f\r\x00\x1f\x7f",
			SentAt: time.Date(2025, 5, 1, 9, 0, 0, 123456000, kl), StoredAt: time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)}},
			NextCursor: "MTIz"},
		{Items: []juta.Message{
			{ID: -5, FromMe: true, Text: "bad \xff\xfe utf-8, line\u2028para\u2029 emoji 😀 é"},
			{ID: 9, Chat: "1203630@g.us", Text: ""},
		}},
		{Items: []juta.Message{
			{ID: 10, Text: "dah bayar <RM120>", Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Size: 5,
				Width: 2, Height: 3, Media: &juta.MediaRef{DirectPath: "/secret", MediaKey: []byte("k"), FileSHA256: []byte{1, 2}}}},
			{ID: 11, Content: juta.Content{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 3.1, Longitude: 101.7, Name: "KL & co"}}},
			{ID: 12, Content: juta.Content{Kind: juta.KindPoll, Poll: &juta.Poll{Name: "q", Options: []string{"a", "b"}}}},
			{ID: 13, Content: juta.Content{Kind: juta.KindUnsupported, TypeName: "groupInviteMessage"}},
			{ID: 14, Content: juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "A"}}}},
			{ID: 15, FromMe: true, Text: "edited", SenderName: "Ah <Seng>", MessageState: juta.MessageState{Status: juta.StatusRead,
				EditedAt: &kt, Reactions: []juta.Reaction{{Sender: "+60111111111", Emoji: "👍", At: kt}}}},
			{ID: 16, Content: juta.Content{Kind: juta.KindImage}, MessageState: juta.MessageState{DeletedAt: &kt}},
			{ID: 17, Text: "boleh hantar esok?", Content: juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg", Duration: 4},
				History: true, Transcript: true},
		}},
	}
	for i, p := range pages {
		want := mustMarshalPage(t, p)
		if got := appendMessagePage(nil, p); !bytes.Equal(got, want) {
			t.Errorf("page %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func FuzzAppendMessagePage(f *testing.F) {
	f.Add("+60123456789", "hello <b>", "3EB0", "MTIz", int64(42), int64(1746090000), int32(0), true)
	f.Add("", "\x00\xff\u2028", "", "", int64(-1), int64(0), int32(-3600), false)
	f.Fuzz(func(t *testing.T, chat, text, waID, cursor string, id, unix int64, offset int32, fromMe bool) {
		// time.Time's MarshalJSON refuses years outside 0-9999; stored
		// times are never there.
		sec := unix % 253402300799
		if sec < -62167219200 {
			sec = -62167219200
		}
		zone := time.FixedZone("", int(offset%86400))
		at := time.Unix(sec, id%1e9&0x3fffffff).In(zone)
		if at.Year() < 0 || at.Year() > 9999 {
			return
		}
		p := juta.Page[juta.Message]{NextCursor: cursor, Items: []juta.Message{{
			ID: id, SessionID: juta.SessionID(id / 3), Chat: chat, Sender: text, WAID: waID, FromMe: fromMe,
			Text: text, SentAt: at, StoredAt: at.UTC(),
		}}}
		want := mustMarshalPage(t, p)
		if got := appendMessagePage(nil, p); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

func mustMarshalPage(t *testing.T, p juta.Page[juta.Message]) []byte {
	t.Helper()
	if p.Items == nil {
		p.Items = []juta.Message{}
	}
	want, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return want
}
