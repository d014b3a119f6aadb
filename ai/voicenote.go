package ai

import (
	"strings"

	"github.com/juta-app/juta"
)

// voiceNoteReply is what a contact's voice note asks of the user when there
// is no transcript to read: a listen and a reply. Someone who sends a voice
// note expects an answer as much as one who types a question, so it raises
// reply_needed with no due time (nothing in it can be read). A transcript, when
// a transcription endpoint filled the text, is read like any message instead.
func voiceNoteReply(m juta.Message) ([]juta.Action, bool) {
	if m.Kind != juta.KindVoice || m.FromMe || strings.TrimSpace(m.Text) != "" {
		return nil, false
	}
	title := "Listen and reply to a voice note"
	if who := senderLabel(m); who != "" {
		title += " from " + who
	}
	return []juta.Action{{Type: juta.ActionReplyNeeded, Title: title, Confidence: 0.5}}, true
}
