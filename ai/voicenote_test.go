package ai

import (
	"context"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// A contact's voice note with no transcript still asks for a reply; the
// user's own, and a transcribed one, are read by their words alone.
func TestVoiceNoteFromAContactNeedsAReply(t *testing.T) {
	r := NewRules(Options{})
	sent := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	voice := func(fromMe bool, text string) juta.Message {
		return juta.Message{Sender: "60123456789@s.whatsapp.net", FromMe: fromMe, Text: text, SentAt: sent,
			Content: juta.Content{Kind: juta.KindVoice, Duration: 12}}
	}
	acts, err := r.Detect(context.Background(), juta.DetectInput{Message: voice(false, "")})
	if err != nil || len(acts) != 1 || acts[0].Type != juta.ActionReplyNeeded || acts[0].DueAt != nil {
		t.Fatalf("contact's voice note: %+v, %v", acts, err)
	}
	if acts[0].Title != "Listen and reply to a voice note from +60123456789" {
		t.Fatalf("title %q", acts[0].Title)
	}
	if acts, _ := r.Detect(context.Background(), juta.DetectInput{Message: voice(true, "")}); len(acts) != 0 {
		t.Fatalf("own voice note raised %+v", acts)
	}
	// A transcript is read as text: a thank-you asks nothing.
	if acts, _ := r.Detect(context.Background(), juta.DetectInput{Message: voice(false, "ok thanks")}); len(acts) != 0 {
		t.Fatalf("transcribed thanks raised %+v", acts)
	}
	// A photo without a caption is no request.
	photo := juta.Message{Sender: "60123456789@s.whatsapp.net", SentAt: sent, Content: juta.Content{Kind: juta.KindImage}}
	if acts, _ := r.Detect(context.Background(), juta.DetectInput{Message: photo}); len(acts) != 0 {
		t.Fatalf("bare photo raised %+v", acts)
	}
}
