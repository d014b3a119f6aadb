package assistant_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/juta-app/juta/ai/assistant"
)

var questions = []string{
	"what is pending today?", "apa yang pending hari ini?", "what do I owe?", "berapa hutang saya?",
	"apa Ali cakap semalam?", "what did +60123456789 say yesterday?", "summarise my chat with +60123456789",
	"ringkaskan chat saya dengan 012-345 6789 minggu ini", "any meetings tomorrow?", "ada meeting esok?",
	"draft a reply to Siti", "tolong balas mesej Siti", "what has Ali been saying this week?",
	"apa kata Siti Nurhaliza pagi tadi", "what did 012-345 6789 say in the last 3 days", "", "   ",
	"+6", "with with with", "dengan", "say", "cakap apa", "meeting 31/02 at 25:61", "\xff\xfe say",
	"what did Ali say dari 3 hingga 5 petang", "ada meeting dari Isnin hingga Rabu?",
}

func FuzzParse(f *testing.F) {
	for _, q := range questions {
		f.Add(q)
	}
	known := map[string]bool{assistant.IntentPending: true, assistant.IntentPayments: true, assistant.IntentMessages: true,
		assistant.IntentSummary: true, assistant.IntentMeetings: true, assistant.IntentDraft: true, assistant.IntentUnknown: true}
	f.Fuzz(func(t *testing.T, question string) {
		q := assistant.Parse(question, now, kl)
		if !known[q.Intent] {
			t.Fatalf("unknown intent %q", q.Intent)
		}
		if q.Lang != assistant.English && q.Lang != assistant.Malay {
			t.Fatalf("unknown language %q", q.Lang)
		}
		if !utf8.ValidString(q.Contact) || !utf8.ValidString(q.Period) {
			t.Fatalf("invalid UTF-8 in %+v", q)
		}
		for _, part := range strings.Fields(q.Contact) {
			if !strings.Contains(question, part) {
				t.Fatalf("contact part %q is not in the question", part)
			}
		}
		if !q.Since.IsZero() && !q.Until.IsZero() && q.Until.Before(q.Since) {
			t.Fatalf("window ends before it starts: %v..%v", q.Since, q.Until)
		}
		if again := assistant.Parse(question, now, kl); again != q {
			t.Fatalf("not deterministic: %+v then %+v", q, again)
		}
	})
}

func TestParse(t *testing.T) {
	cases := []struct {
		q, intent, contact, period string
		lang                       assistant.Lang
		since, until               time.Time
	}{
		{"apa Ali cakap semalam?", assistant.IntentMessages, "Ali", "semalam", assistant.Malay, at(-1, 0), at(0, 0)},
		{"what did +60123456789 say yesterday?", assistant.IntentMessages, "+60123456789", "yesterday", assistant.English, at(-1, 0), at(0, 0)},
		{"Ali cakap apa?", assistant.IntentMessages, "Ali", "", assistant.Malay, time.Time{}, time.Time{}},
		{"what has Ali been saying this week?", assistant.IntentMessages, "Ali", "this week", assistant.English, at(-2, 0), at(5, 0)},
		{"apa kata Siti Nurhaliza pagi tadi", assistant.IntentMessages, "Siti Nurhaliza", "pagi tadi", assistant.Malay, at(0, 6), at(0, 12)},
		{"what did 012-345 6789 say in the last 3 days", assistant.IntentMessages, "012-345 6789", "the last 3 days", assistant.English, now.AddDate(0, 0, -3), now},
		{"summarise my chat with +60123456789", assistant.IntentSummary, "+60123456789", "", assistant.English, time.Time{}, time.Time{}},
		{"ringkaskan chat saya dengan Ali minggu ini", assistant.IntentSummary, "Ali", "minggu ini", assistant.Malay, at(-2, 0), at(5, 0)},
		{"any meetings tomorrow?", assistant.IntentMeetings, "", "tomorrow", assistant.English, at(1, 0), at(2, 0)},
		{"ada meeting esok?", assistant.IntentMeetings, "", "esok", assistant.Malay, at(1, 0), at(2, 0)},
		{"what is pending today?", assistant.IntentPending, "", "today", assistant.English, at(0, 0), at(1, 0)},
		{"apa yang pending hari ini?", assistant.IntentPending, "", "hari ini", assistant.Malay, at(0, 0), at(1, 0)},
		{"what do I owe?", assistant.IntentPayments, "", "", assistant.English, time.Time{}, time.Time{}},
		{"draft a reply to Siti", assistant.IntentDraft, "Siti", "", assistant.English, time.Time{}, time.Time{}},
		{"what should I tell my boss?", assistant.IntentDraft, "", "", assistant.English, time.Time{}, time.Time{}},
		{"hello", assistant.IntentUnknown, "", "", assistant.English, time.Time{}, time.Time{}},
	}
	for _, tc := range cases {
		q := assistant.Parse(tc.q, now, kl)
		want := assistant.Query{Intent: tc.intent, Lang: tc.lang, Contact: tc.contact, Since: tc.since, Until: tc.until, Period: tc.period}
		if !q.Since.Equal(want.Since) || !q.Until.Equal(want.Until) {
			t.Errorf("%q: window %v..%v, want %v..%v", tc.q, q.Since, q.Until, want.Since, want.Until)
		}
		q.Since, q.Until, want.Since, want.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if q != want {
			t.Errorf("%q: got %+v, want %+v", tc.q, q, want)
		}
	}
}
