package llm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseAnswer feeds arbitrary model output and message text to the
// answer parser: it must never panic, and whatever it keeps must satisfy the
// schema. Seeds live in testdata/fuzz/FuzzParseAnswer.
func FuzzParseAnswer(f *testing.F) {
	f.Add(goodAnswer, meetingText)
	f.Fuzz(func(t *testing.T, content, text string) {
		acts, dropped, err := parseAnswer(content, text, kl, sentAt)
		if err != nil && (len(acts) > 0 || dropped > 0) {
			t.Fatalf("malformed answer still gave %d actions, %d dropped", len(acts), dropped)
		}
		seen := map[string]bool{}
		for _, a := range acts {
			if !knownType(a.Type) || seen[string(a.Type)] {
				t.Fatalf("type %q unknown or repeated", a.Type)
			}
			seen[string(a.Type)] = true
			if a.Title == "" || utf8.RuneCountInString(a.Title) > maxTitleRunes {
				t.Fatalf("bad title %q", a.Title)
			}
			if !(a.Confidence >= 0 && a.Confidence <= 1) {
				t.Fatalf("confidence %v", a.Confidence)
			}
			if a.Span == "" || !strings.Contains(text, a.Span) {
				t.Fatalf("span %q not in the message", a.Span)
			}
			if a.DueAt != nil && a.DueAt.Location() != kl {
				t.Fatalf("dueAt %v not in the user's zone", a.DueAt)
			}
			if (a.Currency != "" && (a.Amount == "" || !isISOCode(a.Currency))) || (a.Amount != "" && !isDecimal(a.Amount)) {
				t.Fatalf("money %q %q", a.Amount, a.Currency)
			}
			if a.Draft != "" && a.Type != "reply_needed" {
				t.Fatalf("draft on a %s", a.Type)
			}
		}
	})
}
