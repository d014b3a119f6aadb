package persistence_test

import (
	"encoding/json"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestTranscriptFillsAVoiceNoteOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	voice := msg(s, "VOICE1", "")
	voice.Content = juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg; codecs=opus", Size: 5, Duration: 3,
		Media: &juta.MediaRef{DirectPath: "/v/1", MediaKey: []byte("k"), FileSHA256: make([]byte, 32)}}
	v := storeMsg(t, db, voice)
	photo := msg(s, "PHOTO1", "")
	photo.Content = juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Media: voice.Media}
	p := storeMsg(t, db, photo)
	before, err := db.EventsAfter(ctx, u.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}

	got, applied, err := db.SaveTranscript(ctx, u.ID, s.ID, v.ID, " boleh hantar esok pagi? ")
	if err != nil || !applied || got.Text != "boleh hantar esok pagi?" || !got.Transcript || got.Kind != juta.KindVoice {
		t.Fatalf("save = %+v, %v, %v", got, applied, err)
	}
	if m := mustMessage(t, db, u.ID, s.ID, v.ID); m.Text != got.Text || !m.Transcript {
		t.Fatalf("stored = %q transcript %v", m.Text, m.Transcript)
	}
	evs, err := db.EventsAfter(ctx, u.ID, before[len(before)-1].Cursor, 100)
	if err != nil || len(evs) != 1 || evs[0].Type != juta.EventMessageTranscribed {
		t.Fatalf("events after the transcript: %+v, %v", evs, err)
	}
	var doc struct {
		Text       string `json:"text"`
		Transcript bool   `json:"transcript"`
	}
	if err := json.Unmarshal(evs[0].Data, &doc); err != nil || doc.Text != got.Text || !doc.Transcript {
		t.Fatalf("event data %s (%v)", evs[0].Data, err)
	}

	// Once only, voice notes only, the owner's only.
	for _, tc := range []struct {
		name string
		uid  juta.UserID
		id   int64
	}{{"again", u.ID, v.ID}, {"a photo", u.ID, p.ID}, {"another user", mustUser(t, db).ID, v.ID}} {
		_, applied, err := db.SaveTranscript(ctx, tc.uid, s.ID, tc.id, "lain")
		if applied || (err != nil && juta.ErrorCode(err) != juta.ENOTFOUND) {
			t.Fatalf("%s: applied %v, %v", tc.name, applied, err)
		}
	}
	if m := mustMessage(t, db, u.ID, s.ID, v.ID); m.Text != got.Text {
		t.Fatalf("the transcript was replaced by %q", m.Text)
	}
	for _, bad := range []string{"", "  ", "a\x00b", string([]byte{0xff})} {
		_, _, err := db.SaveTranscript(ctx, u.ID, s.ID, v.ID, bad)
		wantCode(t, err, juta.EINVALID)
	}
}
