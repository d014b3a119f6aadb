package ai

import (
	"regexp"
	"strings"
	"unicode"
)

// kin are words Malaysians use for people, often as the name itself
// ("Call Ibu", "bagi kat Kak Ros").
var kin = set("ibu", "mak", "emak", "ayah", "abah", "bapa", "papa", "mama", "umi", "abi", "kak", "akak", "abang",
	"bang", "adik", "dik", "pakcik", "makcik", "tok", "atuk", "nenek", "encik", "puan", "cik", "tuan", "dr",
	"datuk", "dato", "datin", "uncle", "aunty", "auntie", "mom", "mum", "dad", "boss", "cikgu", "ustaz", "ustazah")

// notNames are capitalised words that start sentences or name things.
var notNames = set("i", "the", "a", "an", "pls", "please", "tolong", "boleh", "can", "jangan", "jgn", "remind",
	"call", "meeting", "meet", "jumpa", "pay", "bayar", "ok", "okay", "hi", "hello", "salam", "thanks", "lunch",
	"dinner", "esok", "tomorrow", "today", "send", "hantar", "check", "are", "do", "is", "we", "you", "awak",
	"saya", "kita", "kami", "dia", "rm", "myr", "usd", "sgd", "zoom", "google", "whatsapp", "maybank", "cimb",
	"is", "what", "when", "where", "how", "why", "let's", "lets", "jom", "hey", "eh", "also", "and", "or", "but",
	"if", "so", "tq", "thank", "dont", "don't", "am", "pm", "via", "bank", "klcc", "kl", "pj", "mid", "valley",
	"mesyuarat", "kelas", "class", "note", "fyi", "btw", "asap", "pdf", "ic", "ya", "yes", "no", "tak", "nak",
	"minta", "mohon", "sila", "bil", "tnb", "unifi", "astro", "doktor", "doctor", "report", "laporan", "forwarded",
	"dear", "team", "all", "can't", "cannot", "could", "would", "will", "need", "just", "ni", "tu", "kat", "dekat",
	"with", "dengan", "to", "for", "kepada", "untuk", "this", "that", "my", "our", "your", "in", "on", "at", "of",
)

var phoneRe = regexp.MustCompile(`(?:\+?60[\s-]?|\b0)1\d[\s-]?\d{3,4}[\s-]?\d{4}\b`)

// findPeople returns names and phone numbers mentioned, in order, without
// repeats: capitalised words that are not sentence starters or known nouns,
// kinship words ("Ibu", "Kak Ros"), and Malaysian mobile numbers.
func findPeople(text string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		k := strings.ToLower(p)
		if p != "" && !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	for _, ph := range phoneRe.FindAllString(text, 3) {
		add(normalisePhone(ph))
	}
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || r == '\'' || r == '@')
	})
	for i := 0; i < len(fields) && len(out) < 5; i++ {
		f := fields[i]
		lw := strings.ToLower(f)
		if kin[lw] {
			name := capitalize(lw)
			if i+1 < len(fields) && isCapitalised(fields[i+1]) && !notNames[strings.ToLower(fields[i+1])] && !kin[strings.ToLower(fields[i+1])] && !isCalendarWord(fields[i+1]) {
				name += " " + fields[i+1]
				i++
			}
			if isCapitalised(f) || name != capitalize(lw) || lw == "ibu" || lw == "mak" || lw == "ayah" || lw == "abah" {
				add(name)
			}
			continue
		}
		if strings.HasPrefix(f, "@") && len(f) > 1 {
			add(f[1:])
			continue
		}
		if !isCapitalised(f) || notNames[lw] || isCalendarWord(f) || len([]rune(f)) < 2 || isAllCaps(f) && len(f) > 3 {
			continue
		}
		if i == 0 {
			continue // sentence-initial capitals say nothing
		}
		add(f)
	}
	return out
}

func isCapitalised(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

func isAllCaps(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

func isCalendarWord(w string) bool {
	return calendarWords[strings.ToLower(w)]
}

var calendarWords = set("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "isnin",
	"selasa", "rabu", "khamis", "jumaat", "sabtu", "ahad", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
	"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
	"november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"januari", "februari", "mac", "mei", "julai", "ogos", "oktober", "disember", "okt", "dis", "ogo")

// normalisePhone writes a Malaysian mobile number in E.164.
func normalisePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "60"):
		return "+" + d
	case strings.HasPrefix(d, "0"):
		return "+6" + d
	}
	return "+60" + d
}

// draftReply suggests a short answer to an obvious yes/no invitation, in the
// question's language; anything else gets no draft.
func draftReply(q string) string {
	ws := words(stripSymbols(q))
	if len(ws) == 0 {
		return ""
	}
	j := " " + strings.Join(ws, " ") + " "
	malay := strings.Contains(j, " tak ") || strings.Contains(j, " ke ") || strings.Contains(j, " awak ") ||
		strings.Contains(j, " boleh ") || strings.Contains(j, " jom ") || strings.Contains(j, " ni ") || strings.Contains(j, " kah ")
	switch {
	case strings.Contains(j, " free "):
		if malay {
			return "Ya, saya free."
		}
		return "Yes, I'm free."
	case strings.Contains(j, " are you coming ") || strings.Contains(j, " you coming ") || strings.Contains(j, " can you make it "):
		return "Yes, I'll be there."
	case strings.Contains(j, " datang tak ") || strings.Contains(j, " jadi tak ") || strings.Contains(j, " jom "):
		return "Ya, jadi."
	case strings.Contains(j, " boleh tak ") || strings.Contains(j, " boleh ke "):
		return "Boleh."
	case strings.Contains(j, " ok tak ") || strings.Contains(j, " okay tak "):
		return "Ok."
	case strings.HasPrefix(j, " lunch ") || strings.HasPrefix(j, " dinner ") || strings.HasPrefix(j, " coffee ") || strings.Contains(j, " want to ") || strings.Contains(j, " wanna "):
		return "Sure, sounds good."
	}
	return ""
}
