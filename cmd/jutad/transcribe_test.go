package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta/ai/openai/openaitest"
	"github.com/juta-app/juta/persistence/pgtest"
)

// With a transcription endpoint, a customer's voice note is transcribed
// from its file, stored with the transcript as its text and read by the
// detector like a typed message: a payment request, not "listen and reply".
func TestVoiceNoteIsTranscribedAndDetected(t *testing.T) {
	audio := bytes.Repeat([]byte("OggS voice note opus frame;"), 40)
	endpoint := openaitest.New(t, func(_ int, r openaitest.Request) (int, string) {
		if !openaitest.IsTranscription(r) || !bytes.Equal(r.File, audio) || r.Auth != "Bearer sk-whisper-test" {
			return http.StatusBadRequest, `{}`
		}
		return http.StatusOK, openaitest.Transcript("Boss, boleh bayar deposit RM150 sebelum Jumaat?")
	})
	dbURL := pgtest.MustURL(t)
	simP := startSim(t)
	srv := startServer(t, dbURL, simP.addr, "JUTA_TRANSCRIBE_BASE_URL="+endpoint.BaseURL,
		"JUTA_TRANSCRIBE_MODEL=whisper-1", "JUTA_TRANSCRIBE_API_KEY=sk-whisper-test")
	owner, contact := "+60123470001", "+60123470002"
	c := register(t, "http://"+srv.addr, owner)
	s := c.link(simP.addr, owner)

	body := map[string]any{"to": owner, "kind": "voice", "mimeType": "audio/ogg; codecs=opus", "durationSeconds": 4, "data": audio}
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", body, nil); code != 200 {
		t.Fatalf("send voice note: status %d", code)
	}
	type message struct {
		ID         int64  `json:"id"`
		Kind       string `json:"kind"`
		Text       string `json:"text"`
		Transcript bool   `json:"transcript"`
	}
	var voice message
	eventually(t, 30*time.Second, "the voice note transcribed", func() bool {
		var page struct{ Items []message }
		call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages", c.base, s.ID), c.token, nil, &page)
		for _, m := range page.Items {
			if m.Kind == "voice" {
				voice = m
			}
		}
		return voice.Transcript
	})
	if !strings.Contains(voice.Text, "RM150") {
		t.Fatalf("voice note text %q", voice.Text)
	}
	type action struct {
		Type      string `json:"type"`
		MessageID int64  `json:"messageId"`
	}
	var acts []action
	eventually(t, 30*time.Second, "actions from the transcript", func() bool {
		var page struct{ Items []action }
		call(t, "GET", c.base+"/api/actions", c.token, nil, &page)
		acts = page.Items
		return len(acts) > 0
	})
	types := map[string]bool{}
	for _, a := range acts {
		types[a.Type] = true
	}
	if !types["payment"] || types["reply_needed"] && len(acts) == 1 {
		t.Fatalf("actions %+v: want a payment read from the transcript", acts)
	}
	if n := len(endpoint.Requests()); n != 1 {
		t.Fatalf("%d transcription requests, want 1", n)
	}
}
