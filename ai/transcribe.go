package ai

import (
	"context"
	"log/slog"
	"strings"

	"github.com/juta-app/juta"
)

// Transcriber turns a voice note's audio into text. ai/openai implements it
// over an OpenAI-compatible /audio/transcriptions endpoint.
type Transcriber interface {
	Transcribe(ctx context.Context, audio []byte, mime string) (string, error)
}

// VoiceNotes is a detector that reads voice notes: a voice note without text
// is transcribed, the transcript is stored as its text (marked a transcript,
// once) and the next detector reads it like a typed message. A voice note
// that cannot be transcribed (file gone, endpoint down, silence) goes to the
// next detector as it is, which asks for a listen and a reply (voiceNoteReply):
// detection is never held up by transcription. Failing to store the
// transcript is an error, so that the detection is retried.
type VoiceNotes struct {
	Next        juta.Detector
	Transcriber Transcriber
	// Audio returns the voice note's file (juta.LoadMedia with the node's
	// blob store and session downloads).
	Audio       func(ctx context.Context, m juta.Message) ([]byte, error)
	Transcripts juta.TranscriptStore
	Log         *slog.Logger
}

var _ juta.Detector = (*VoiceNotes)(nil)

// Detect transcribes in's message first when it is a voice note waiting for
// its text; it blocks for the download and the transcription.
func (v *VoiceNotes) Detect(ctx context.Context, in juta.DetectInput) ([]juta.Action, error) {
	m := in.Message
	if m.Kind != juta.KindVoice || m.History || m.DeletedAt != nil || m.Transcript || strings.TrimSpace(m.Text) != "" {
		return v.Next.Detect(ctx, in)
	}
	text, ok := v.transcribe(ctx, m)
	if !ok {
		return v.Next.Detect(ctx, in)
	}
	stored, applied, err := v.Transcripts.SaveTranscript(ctx, m.UserID, m.SessionID, m.ID, text)
	if err != nil {
		return nil, err
	}
	if applied {
		in.Message = stored
	}
	return v.Next.Detect(ctx, in)
}

// transcribe returns what m says; ok is false when there is nothing to read.
// Logs carry the message id and the cause, never audio or text.
func (v *VoiceNotes) transcribe(ctx context.Context, m juta.Message) (string, bool) {
	audio, err := v.Audio(ctx, m)
	if err != nil {
		v.log().Warn("voice note not transcribed: no audio", "message_id", m.ID, "code", juta.ErrorCode(err), "err", err)
		return "", false
	}
	text, err := v.Transcriber.Transcribe(ctx, audio, m.MIME)
	if err != nil {
		v.log().Warn("voice note not transcribed", "message_id", m.ID, "err", err)
		return "", false
	}
	text = strings.TrimSpace(text)
	return text, text != "" && juta.StorableText(text)
}

func (v *VoiceNotes) log() *slog.Logger {
	if v.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return v.Log
}
