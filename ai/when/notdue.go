package when

import (
	"strconv"
	"strings"
	"unicode"
)

// What a reader takes from a time phrase depends on the words around it. The
// parser reads every phrase that can be a time; the due reading keeps only
// the ones a person would set a reminder from. This file holds the contexts
// in which people write a number that is no time; habit.go those in which a
// time is a habit, a rule or a report rather than one due time.

// notTimes drops the readings that in their context are no time at all: a
// piece of a decimal ("10.1"), a level someone is at ("I'm at 10"), a count of nights
// ("homestay 3 malam"), a pair of small numbers ("2-3", "3-1") and a date
// written year first whose month cannot be one ("2024-13-01").
func notTimes(text string, all []Scored) []Scored {
	var out []Scored
	for i, s := range all {
		if !notTime(text, s) {
			if out != nil {
				out = append(out, s)
			}
			continue
		}
		if out == nil {
			out = append(make([]Scored, 0, len(all)), all[:i]...)
		}
	}
	if out == nil {
		return all
	}
	return out
}

func notTime(text string, s Scored) bool {
	return insideNumber(text, s.Start) || levelAt(text, s.Result) || nights(s.Text) ||
		s.Grain == Day && (numberPair(s.Text) || badYearFirst(s.Text)) || s.Grain == Second && secondsWait(s.Text)
}

// insideNumber is true when a reading starts within a number: "1 - 10.12"
// read from "10.1 - 10.12" is the tail of a decimal.
func insideNumber(text string, start int) bool {
	if start <= 0 || start > len(text) {
		return false
	}
	prev := text[start-1]
	if isDigit(prev) {
		return true
	}
	return (prev == '.' || prev == ',') && start >= 2 && isDigit(text[start-2])
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// bareNumber is a reading of digits alone ("15.10", "10 - 20", "3/4", "at 10"):
// no am/pm, "pukul", part of the day or day, so the number may count or
// name something else.
func bareNumber(phrase string) bool {
	t := strings.TrimSpace(phrase)
	if len(t) > 3 && strings.EqualFold(t[:3], "at ") {
		t = t[3:]
	}
	if t == "" {
		return false
	}
	for _, r := range t {
		if !unicode.IsDigit(r) && !strings.ContainsRune(".:/- –", r) {
			return false
		}
	}
	return true
}

// placeNouns number a place or a thing: the number after them is its
// name, not a clock or a date ("Bilik 15.10", "Aras 4.12", "Gate 12.15",
// "Platform 9.45", "Jalan 3/4", "Jalan SS 2/24"). A range after them is a booking ("book room 2.30-3.30"), and a
// meeting room is named by its use ("meeting room 2.30" is a time).
var placeNouns = map[string]bool{
	"bilik": true, "room": true, "rm": true, "aras": true, "level": true, "lvl": true, "tingkat": true, "floor": true,
	"blok": true, "block": true, "lot": true, "unit": true, "gate": true, "pintu": true, "platform": true, "seat": true,
	"kerusi": true, "wad": true, "ward": true, "katil": true, "kaunter": true, "counter": true, "bay": true,
	"seksyen": true, "section": true, "page": true, "ms": true, "bab": true, "chapter": true, "version": true, "versi": true,
	"jalan": true, "jln": true, "lorong": true, "lrg": true, "persiaran": true, "ss": true, "usj": true,
}

// roomUses name a room by what it is for.
var roomUses = map[string]bool{"meeting": true, "conference": true, "discussion": true, "training": true, "board": true}

// maskPlaceNumbers blanks the number right after a place noun ("Jalan
// 3/4", "Bilik 15.10"), keeping every offset, so that the parser reads the
// time beside it alone ("No 12 Jalan 3/4, pukul 2 petang" is due at 14:00,
// not on 3 April). A range after the noun is kept: it is a booking.
func maskPlaceNumbers(text string) string {
	if !strings.ContainsAny(text, "0123456789") {
		return text
	}
	var out []byte
	var word, prev [16]byte // lower-cased ASCII words; a map lookup of string(word[:n]) does not copy
	pn := 0
	for i := 0; i < len(text); {
		if !isLetter(text[i] | 0x20) {
			i++
			continue
		}
		j, n := i, 0
		for j < len(text) && isLetter(text[j]|0x20) {
			if n < len(word) {
				word[n] = text[j] | 0x20
			}
			n++
			j++
		}
		if n <= len(word) && placeNouns[string(word[:n])] && !roomUses[string(prev[:pn])] {
			if a, b, ok := numberAfter(text, j); ok {
				if out == nil {
					out = []byte(text)
				}
				for k := a; k < b; k++ {
					out[k] = ' '
				}
			}
		}
		pn = copy(prev[:], word[:min(n, len(word))])
		i = j
	}
	if out == nil {
		return text
	}
	return string(out)
}

// isLetter is an ASCII lower-case letter (callers OR 0x20 to fold case).
func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }

// numberAfter finds a single number after position i (past spaces, "." and
// "#"): its bounds, unless a range goes on from it ("2.30 - 3.30") or a
// part of the day follows it.
func numberAfter(s string, i int) (int, int, bool) {
	for i < len(s) && (s[i] == ' ' || s[i] == '.' || s[i] == '#') {
		i++
	}
	a := i
	for i < len(s) && (isDigit(s[i]) || (s[i] == '.' || s[i] == ':' || s[i] == '/') && i+1 < len(s) && isDigit(s[i+1])) {
		i++
	}
	if i == a || i < len(s) && isLetter(s[i]|0x20) {
		return 0, 0, false // "Gate 5pm" would be a time
	}
	rest := strings.TrimLeft(s[i:], " ")
	if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "to ") {
		return 0, 0, false
	}
	return a, i, !clockWords[strings.ToLower(firstWord(rest))] // "jom jalan 3 petang" is a time
}

// clockWords after a number make it a clock or a day.
var clockWords = map[string]bool{"am": true, "pm": true, "pagi": true, "pg": true, "petang": true, "ptg": true,
	"malam": true, "mlm": true, "tengahari": true, "tengah": true, "siang": true, "sore": true, "hb": true,
	"haribulan": true, "oclock": true, "o": true}

// levelAt is true for "I'm at 10", "we're at 20 now": a person "at" a bare
// number is at a level, a page, a score or a count ("I'm at 10 reps"); a
// time needs its am/pm or o'clock there ("I'm at the clinic at 10" reads
// its own "at 10").
func levelAt(text string, r Result) bool {
	if len(r.Text) < 4 || !strings.EqualFold(r.Text[:3], "at ") {
		return false
	}
	rest := strings.TrimSpace(r.Text)
	if len(rest) > 4 && strings.EqualFold(rest[len(rest)-4:], " now") {
		rest = rest[:len(rest)-4]
	}
	if !bareNumber(rest) {
		return false
	}
	before := strings.Fields(strings.ToLower(strings.NewReplacer("’", "'").Replace(text[:r.Start])))
	if len(before) == 0 {
		return false
	}
	last := before[len(before)-1]
	if beings[last] {
		return true
	}
	return len(before) >= 2 && (last == "am" || last == "are" || last == "is") && persons[before[len(before)-2]]
}

// beings are a person and "be" in one word.
var beings = map[string]bool{"i'm": true, "im": true, "we're": true, "you're": true, "he's": true,
	"she's": true, "they're": true, "u're": true}

var persons = map[string]bool{"i": true, "we": true, "you": true, "u": true, "he": true, "she": true, "they": true}

// nights is true for a count of nights: "3 malam" without "pukul" or "jam"
// ("homestay 3 malam", "pakej 3 hari 2 malam"). The night runs from the
// evening to midnight; an hour from 1 to 6 after it is a count, and a
// small hour of the night is written "pukul 2 pagi" or "pukul 2 malam".
func nights(phrase string) bool {
	n, rest, ok := strings.Cut(strings.TrimSpace(phrase), " ")
	return ok && len(n) == 1 && n[0] >= '1' && n[0] <= '6' && strings.EqualFold(strings.TrimSpace(rest), "malam")
}

// numberPair is a message of two numbers joined by a hyphen, both of which
// could be the month: "2-3" answers "how many?", "3-1" is a score, "10-12"
// a range, as often as they are a day and a month. With a number past 12
// only the date is left ("15-2" is 15 February).
func numberPair(phrase string) bool {
	a, b, ok := strings.Cut(strings.ReplaceAll(strings.TrimSpace(phrase), " ", ""), "-")
	return ok && smallNumber(a) && smallNumber(b)
}

func smallNumber(s string) bool {
	if len(s) == 0 || len(s) > 2 || !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return false
	}
	n := int(s[0] - '0')
	if len(s) == 2 {
		n = n*10 + int(s[1]-'0')
	}
	return n >= 1 && n <= 12
}

// badYearFirst is a date written year first, whose order is year, month,
// day (ISO 8601, and the order of Chinese, Japanese and Korean dates), with a
// middle number that is no month: "2024-13-01" is mistyped, and a due time
// is not set from a guess at which number was meant.
func badYearFirst(phrase string) bool {
	f := strings.FieldsFunc(strings.TrimSpace(phrase), func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(f) != 3 || len(f[0]) != 4 || len(f[2]) > 2 {
		return false
	}
	for _, p := range f {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	month, _ := strconv.Atoi(f[1])
	return month < 1 || month > 12
}

// secondsWait is a count of seconds ("in 5s", "10 saat lagi", "give me 30
// seconds"): a wait, over before a reminder could be read.
func secondsWait(phrase string) bool {
	for _, w := range strings.Fields(strings.ToLower(phrase)) {
		w = strings.TrimLeft(w, "0123456789")
		switch w {
		case "s", "sec", "secs", "second", "seconds", "saat":
			return true
		}
	}
	return false
}
