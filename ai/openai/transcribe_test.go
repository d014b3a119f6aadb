package openai_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/juta-app/juta/ai/openai"
	"github.com/juta-app/juta/ai/openai/openaitest"
)

func TestTranscribeSendsTheVoiceNoteAsMultipart(t *testing.T) {
	srv := openaitest.New(t, func(_ int, r openaitest.Request) (int, string) {
		if !openaitest.IsTranscription(r) {
			return http.StatusNotFound, `{}`
		}
		return http.StatusOK, openaitest.Transcript("boleh hantar barang esok pagi?")
	})
	audio := bytes.Repeat([]byte("OggS\x00opus"), 100)
	c := openai.New(srv.BaseURL+"/", "sk-transcribe-secret", nil)
	text, e := c.Transcribe(context.Background(), openai.Audio{Data: audio, MIME: "audio/ogg; codecs=opus",
		Model: "whisper-1", Language: "ms"})
	if e != nil || text != "boleh hantar barang esok pagi?" {
		t.Fatalf("transcribe = %q, %v", text, e)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	switch {
	case r.Path != "/v1/audio/transcriptions" || r.Auth != "Bearer sk-transcribe-secret":
		t.Fatalf("posted to %s with %q", r.Path, r.Auth)
	case !bytes.Equal(r.File, audio) || r.FileName != "voice.ogg" || r.FileType != "audio/ogg; codecs=opus":
		t.Fatalf("file %q (%s) of %d bytes", r.FileName, r.FileType, len(r.File))
	case r.Fields["model"] != "whisper-1" || r.Fields["language"] != "ms" || r.Fields["response_format"] != "json":
		t.Fatalf("fields %v", r.Fields)
	case len(r.Fields) != 3:
		t.Fatalf("fields %v: an empty prompt is not sent", r.Fields)
	}
}

func TestTranscribeClassifiesFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   openai.Kind
	}{
		{"throttled", http.StatusTooManyRequests, `{}`, openai.KindThrottled},
		{"server", http.StatusBadGateway, `{}`, openai.KindServer},
		{"refused", http.StatusBadRequest, `{"error":{"message":"bad audio"}}`, openai.KindClient},
		{"not JSON", http.StatusOK, `<html>`, openai.KindMalformed},
		{"no text", http.StatusOK, `{"duration":3}`, openai.KindMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.New(t, func(int, openaitest.Request) (int, string) { return tc.status, tc.body })
			_, e := openai.New(srv.BaseURL, "", nil).Transcribe(context.Background(),
				openai.Audio{Data: []byte("OggS"), Model: "whisper-1"})
			if e == nil || e.Kind != tc.kind {
				t.Fatalf("error %v, want kind %s", e, tc.kind)
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := openai.New("http://127.0.0.1:1", "", nil)
	if _, e := c.Transcribe(ctx, openai.Audio{Model: "whisper-1"}); e == nil || e.Kind != openai.KindClient {
		t.Fatalf("empty audio: %v", e)
	}
	if _, e := c.Transcribe(ctx, openai.Audio{Data: make([]byte, openai.MaxAudio+1), Model: "whisper-1"}); e == nil || e.Kind != openai.KindClient {
		t.Fatalf("audio over the limit: %v", e)
	}
}
