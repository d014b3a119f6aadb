// Package assistant answers a user's questions about their own WhatsApp
// messages and actions. Rules answers the common questions deterministically
// in English and Malay; LLM lets an OpenAI-compatible model answer through
// tool calls over the same read queries and falls back to Rules.
package assistant

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/juta-app/juta/ai/when"
)

// Intents reported in juta.Answer.Intent.
const (
	IntentPending  = "pending"
	IntentPayments = "payments"
	IntentMessages = "messages"
	IntentSummary  = "summary"
	IntentMeetings = "meetings"
	IntentDraft    = "draft"
	IntentUnknown  = "unknown"
	IntentLLM      = "llm"
)

// Lang is the language an answer is written in.
type Lang string

// Languages.
const (
	English Lang = "en"
	Malay   Lang = "ms"
)

// MaxQuestionLen bounds a question in bytes; chat questions are far shorter.
const MaxQuestionLen = 2000

// Query is what a question asks, as the rules read it.
type Query struct {
	Intent  string
	Lang    Lang
	Contact string    // the phone number or name asked about; "" when none
	Since   time.Time // the time window asked about; zero ends are open
	Until   time.Time
	Period  string // the time phrase that set the window, as written
}

// word is one token of a question with its byte offsets.
type word struct {
	text  string // as written
	lower string
	start int
	end   int
}

// Parse reads question asked at now in loc. It never fails: a question it
// does not understand has IntentUnknown.
func Parse(question string, now time.Time, loc *time.Location) Query {
	if loc == nil {
		loc = when.DefaultLocation()
	}
	if len(question) > MaxQuestionLen {
		question = question[:MaxQuestionLen]
	}
	question = strings.ToValidUTF8(question, " ")
	words := tokenize(question)
	q := Query{Intent: intentOf(words), Lang: langOf(words)}
	span := q.readWindow(question, now.In(loc), loc)
	q.Contact = contactOf(question, words, span)
	return q
}

// tokenize splits text into words: runs of letters, digits and the
// characters a phone number or a name carries inside.
func tokenize(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '\'' || r == '-' || r == '@' || r == '.' && start >= 0
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = appendWord(out, text, start, i)
			start = -1
		}
	}
	if start >= 0 {
		out = appendWord(out, text, start, len(text))
	}
	return out
}

func appendWord(out []word, text string, start, end int) []word {
	// A trailing dot or dash ends a sentence, not a word.
	for end > start && strings.ContainsRune(".-'", rune(text[end-1])) {
		end--
	}
	if end == start {
		return out
	}
	w := text[start:end]
	return append(out, word{text: w, lower: strings.ToLower(w), start: start, end: end})
}

// intentOf picks the intent by keyword; the order settles questions that
// carry several ("any meetings pending?" is about meetings).
func intentOf(words []word) string {
	has := func(set map[string]bool) bool {
		for _, w := range words {
			if set[w.lower] {
				return true
			}
		}
		return false
	}
	switch {
	case has(draftWords):
		return IntentDraft
	case has(summaryWords):
		return IntentSummary
	case has(sayWords):
		return IntentMessages
	case has(meetingWords):
		return IntentMeetings
	case has(paymentWords):
		return IntentPayments
	case has(pendingWords):
		return IntentPending
	}
	return IntentUnknown
}

// langOf answers in Malay when the question leans Malay; a tie with any
// Malay goes to Malay, since code-mixed questions come from Malay speakers.
func langOf(words []word) Lang {
	ms, en := 0, 0
	for _, w := range words {
		if malayWords[w.lower] {
			ms++
		}
		if englishWords[w.lower] {
			en++
		}
	}
	if ms > 0 && ms >= en {
		return Malay
	}
	return English
}

// truncateRunes shortens s to at most n runes, marking the cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
