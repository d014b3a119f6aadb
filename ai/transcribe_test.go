package ai_test

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/ai/openai"
	"github.com/juta-app/juta/ai/openai/openaitest"
)

// transcripts keeps what SaveTranscript was given, like the store: once per
// voice note. (The PostgreSQL store's own test covers the real one.)
type transcripts struct {
	mu    sync.Mutex
	saved map[int64]string
}

func (s *transcripts) SaveTranscript(_ context.Context, _ juta.UserID, _ juta.SessionID, id int64, text string) (juta.Message, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.saved[id]; ok {
		return juta.Message{}, false, nil
	}
	s.saved[id] = text
	return juta.Message{ID: id, Text: text, Transcript: true, Content: juta.Content{Kind: juta.KindVoice},
		Sender: "60123456789@s.whatsapp.net", SentAt: voiceSent}, true, nil
}

var voiceSent = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) // a Monday

func voiceNote(id int64) juta.Message {
	return juta.Message{ID: id, UserID: 1, SessionID: 2, Sender: "60123456789@s.whatsapp.net", SentAt: voiceSent,
		Content: juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg; codecs=opus", Duration: 4}}
}

func TestVoiceNotesAreTranscribedThenDetected(t *testing.T) {
	audio := bytes.Repeat([]byte("OggS opus "), 50)
	srv := openaitest.New(t, func(_ int, r openaitest.Request) (int, string) {
		if !openaitest.IsTranscription(r) || !bytes.Equal(r.File, audio) {
			return http.StatusBadRequest, `{}`
		}
		return http.StatusOK, openaitest.Transcript("Boleh bayar RM150 deposit esok?")
	})
	store := &transcripts{saved: map[int64]string{}}
	d := &ai.VoiceNotes{Next: ai.NewRules(ai.Options{}), Transcripts: store,
		Transcriber: &openai.Transcriber{Client: openai.New(srv.BaseURL, "", nil), Model: "whisper-1"},
		Audio:       func(context.Context, juta.Message) ([]byte, error) { return audio, nil }}
	acts, err := d.Detect(context.Background(), juta.DetectInput{Message: voiceNote(9), Location: time.UTC})
	if err != nil || len(acts) == 0 {
		t.Fatalf("detect = %+v, %v", acts, err)
	}
	for _, a := range acts {
		if a.Type == juta.ActionReplyNeeded && a.Title == "Listen and reply to a voice note from +60123456789" {
			t.Fatalf("the transcript was not read: %+v", acts)
		}
	}
	if !hasType(acts, juta.ActionPayment) {
		t.Fatalf("no payment action from the transcript: %+v", acts)
	}
	if store.saved[9] != "Boleh bayar RM150 deposit esok?" {
		t.Fatalf("stored transcript %q", store.saved[9])
	}

	// A note with a caption or text already, or from history, is not sent.
	done := voiceNote(10)
	done.Text = "ok"
	hist := voiceNote(11)
	hist.History = true
	for _, m := range []juta.Message{done, hist} {
		if _, err := d.Detect(context.Background(), juta.DetectInput{Message: m, Location: time.UTC}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d transcription requests, want 1", n)
	}
}

// Without audio or with the endpoint down, a voice note still asks for a reply.
func TestVoiceNotesFallBackToAReply(t *testing.T) {
	srv := openaitest.New(t, func(int, openaitest.Request) (int, string) { return http.StatusServiceUnavailable, `{}` })
	for name, audio := range map[string]func(context.Context, juta.Message) ([]byte, error){
		"endpoint down": func(context.Context, juta.Message) ([]byte, error) { return []byte("OggS"), nil },
		"file gone": func(context.Context, juta.Message) ([]byte, error) {
			return nil, juta.Errorf(juta.ENOTFOUND, "gone")
		},
	} {
		store := &transcripts{saved: map[int64]string{}}
		d := &ai.VoiceNotes{Next: ai.NewRules(ai.Options{}), Transcripts: store, Audio: audio,
			Transcriber: &openai.Transcriber{Client: openai.New(srv.BaseURL, "", nil), Model: "whisper-1"}}
		acts, err := d.Detect(context.Background(), juta.DetectInput{Message: voiceNote(9), Location: time.UTC})
		if err != nil || len(acts) != 1 || acts[0].Type != juta.ActionReplyNeeded || len(store.saved) != 0 {
			t.Fatalf("%s: %+v, %v, stored %v", name, acts, err, store.saved)
		}
	}
}

func hasType(acts []juta.Action, typ juta.ActionType) bool {
	for _, a := range acts {
		if a.Type == typ {
			return true
		}
	}
	return false
}
