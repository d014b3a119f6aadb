package ai

import (
	"strings"
	"unicode"
)

// words splits lower-cased text into words (letters, digits, apostrophes).
// A Malay reduplication written with a 2 ("makan2", "sama2", "kawan2") is
// read as its word.
func words(s string) []string {
	ws := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '$')
	})
	for i, w := range ws {
		ws[i] = unReduplicate(w)
	}
	return ws
}

// unReduplicate drops the 2 of "jumpa2": three or more letters then a 2.
func unReduplicate(w string) string {
	n := len(w)
	if n < 4 || w[n-1] != '2' {
		return w
	}
	for i := 0; i < n-1; i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return w
		}
	}
	return w[:n-1]
}

// stripSymbols drops emoji and punctuation, keeping letters, digits and spaces.
func stripSymbols(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// sentences splits text at sentence ends and line breaks, keeping '?'.
func sentences(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == '\n' || r == '.' || r == '!' || r == '?' {
			// keep decimals ("RM1,200.50") and times ("10.30") together
			if r == '.' && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]) {
				continue
			}
			end := i
			if r == '?' || r == '!' {
				end = i + 1
			}
			if t := strings.TrimSpace(s[start:end]); t != "" {
				out = append(out, t)
			}
			start = i + 1
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func hasAny(ws []string, set map[string]bool) (string, int) {
	for i, w := range ws {
		if set[w] {
			return w, i
		}
	}
	return "", -1
}

// phraseList holds phrases padded with spaces so a match is on whole words.
type phraseList struct{ plain, padded []string }

func phrases(ps ...string) phraseList {
	l := phraseList{plain: ps, padded: make([]string, len(ps))}
	for i, p := range ps {
		l.padded[i] = " " + p + " "
	}
	return l
}

// hasPhrase reports whether padded (" words joined by spaces ") contains one
// of the phrases.
func hasPhrase(padded string, l phraseList) (string, bool) {
	for i, p := range l.padded {
		if strings.Contains(padded, p) {
			return l.plain[i], true
		}
	}
	return "", false
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func truncateRunes(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
