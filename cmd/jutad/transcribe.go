package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/ai/openai"
)

// TranscribeConfig turns voice notes into text before detection. It is on
// when Model is set; the endpoint and key default to the LLM's.
type TranscribeConfig struct {
	BaseURL  string // JUTA_TRANSCRIBE_BASE_URL: OpenAI-compatible, serving /audio/transcriptions; default JUTA_LLM_BASE_URL
	Model    string // JUTA_TRANSCRIBE_MODEL: e.g. whisper-1; empty = voice notes are not transcribed
	APIKey   string // JUTA_TRANSCRIBE_API_KEY (never logged); default JUTA_LLM_API_KEY
	Language string // JUTA_TRANSCRIBE_LANGUAGE: ISO-639-1 hint such as ms; empty = detected
}

func loadTranscribeConfig(getenv func(string) string, llmURL, llmKey string, errs *[]error) TranscribeConfig {
	c := TranscribeConfig{BaseURL: or(getenv("JUTA_TRANSCRIBE_BASE_URL"), llmURL), Model: getenv("JUTA_TRANSCRIBE_MODEL"),
		APIKey: or(getenv("JUTA_TRANSCRIBE_API_KEY"), llmKey), Language: getenv("JUTA_TRANSCRIBE_LANGUAGE")}
	if c.Model != "" && c.BaseURL == "" {
		*errs = append(*errs, errors.New("JUTA_TRANSCRIBE_MODEL needs JUTA_TRANSCRIBE_BASE_URL or JUTA_LLM_BASE_URL"))
	}
	if len(c.Language) > 3 {
		*errs = append(*errs, fmt.Errorf("JUTA_TRANSCRIBE_LANGUAGE must be an ISO-639-1 code such as ms, not %q", c.Language))
	}
	return c
}

// transcribing puts voice-note transcription in front of d when configured.
// The audio comes from the media cache or a download through the session,
// which the runtime serves once it runs (detection starts after it).
func (m *Main) transcribing(d juta.Detector) juta.Detector {
	tc := m.cfg.Transcribe
	if tc.Model == "" {
		return d
	}
	return &ai.VoiceNotes{Next: d, Transcripts: m.db, Log: m.log,
		Transcriber: &openai.Transcriber{Client: openai.New(tc.BaseURL, tc.APIKey, nil), Model: tc.Model, Language: tc.Language},
		Audio: func(ctx context.Context, msg juta.Message) ([]byte, error) {
			// The stored row: the message handed to detection may come
			// without its media reference (kept apart from what is shown).
			full, err := m.db.Message(ctx, msg.UserID, msg.SessionID, msg.ID)
			if err != nil {
				return nil, err
			}
			return juta.LoadMedia(ctx, m.blobs, m.runtime, full)
		}}
}
