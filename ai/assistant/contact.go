package assistant

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/juta-app/juta"
)

// phoneRe finds a phone number as people type one: "+60123456789",
// "012-345 6789", "+60 12-345 6789".
var phoneRe = regexp.MustCompile(`\+?\d[\d ().-]{5,}\d`)

// maxNameWords bounds a contact's name ("Siti Nur Aisyah").
const maxNameWords = 3

// contactOf finds who the question is about: a phone number first, else a
// name next to a "say" verb ("apa Ali cakap", "what did Ali say") or after a
// preposition ("chat with Ali", "mesej dari Siti"). Words of the time phrase
// are never part of it.
func contactOf(question string, words []word, when span) string {
	for _, loc := range phoneRe.FindAllStringIndex(question, -1) {
		m := strings.TrimSpace(question[loc[0]:loc[1]])
		if when.stop > when.start && loc[0] < when.stop && loc[1] > when.start {
			continue
		}
		if _, ok := juta.PhoneDigits(m); ok {
			return m
		}
	}
	var kept []word
	for _, w := range words {
		if !when.contains(w) {
			kept = append(kept, w)
		}
	}
	if name := nameNearVerb(kept); name != "" {
		return name
	}
	return nameAfterPreposition(kept)
}

func nameNearVerb(ws []word) string {
	for v, w := range ws {
		i := v
		if !sayWords[w.lower] || w.lower == "mesej" || w.lower == "messages" {
			continue
		}
		// "apa Ali cakap", "what did Ali say": the name stands before the verb.
		for i > 0 && auxiliary[ws[i-1].lower] {
			i-- // "what has Ali been saying"
		}
		j := i
		for j > 0 && i-j < maxNameWords && isNameWord(ws[j-1]) {
			j--
		}
		if j < i {
			return joinWords(ws[j:i])
		}
		// "apa kata Ali": after it.
		if name := nameRun(ws[v+1:]); name != "" {
			return name
		}
	}
	return ""
}

func nameAfterPreposition(ws []word) string {
	for i, w := range ws {
		if beforeContact[w.lower] {
			if name := nameRun(ws[i+1:]); name != "" {
				return name
			}
		}
	}
	return ""
}

// nameRun returns the name words at the start of ws.
func nameRun(ws []word) string {
	n := 0
	for n < len(ws) && n < maxNameWords && isNameWord(ws[n]) {
		n++
	}
	return joinWords(ws[:n])
}

func joinWords(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

// auxiliary words may stand between a name and its verb.
var auxiliary = set("been", "being", "ever", "just", "also", "really", "pernah", "ada", "dah", "sudah", "juga")

// isNameWord: a word that may be (part of) a contact's name.
func isNameWord(w word) bool {
	if notName[w.lower] || intentWord(w.lower) || malayWords[w.lower] || englishWords[w.lower] {
		return false
	}
	r := []rune(w.text)
	return len(r) > 1 && unicode.IsLetter(r[0])
}

func intentWord(w string) bool {
	return draftWords[w] || summaryWords[w] || sayWords[w] || meetingWords[w] || paymentWords[w] || pendingWords[w]
}

// matchesContact mirrors the store's contact filter: a phone number matches
// by digits, a name case-insensitively as part of the chat or sender.
func matchesContact(contact, s string) bool {
	if p, ok := juta.PhonePattern(contact); ok {
		return regexp.MustCompile(p).MatchString(s)
	}
	return contact != "" && strings.Contains(strings.ToLower(s), strings.ToLower(contact))
}

// isGroup tells a group chat's JID from a person's.
func isGroup(chat string) bool { return strings.HasSuffix(chat, "@g.us") }
