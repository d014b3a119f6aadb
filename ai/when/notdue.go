package when

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// What a reader takes from a time phrase depends on the words around it. The
// parser reads every phrase that can be a time; the due reading keeps only
// the ones a person would set a reminder from. Here are the contexts in
// which people write a number that is no time, and those in which a time is
// a habit, a rule or a report rather than one due time.

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

// lastWord is the last run of letters in s, lower-cased ("Room " -> "room",
// "No. " -> "no").
func lastWord(s string) string {
	s = strings.ToLower(s)
	end := strings.LastIndexFunc(s, unicode.IsLetter)
	if end < 0 {
		return ""
	}
	start := strings.LastIndexFunc(s[:end+1], func(r rune) bool { return !unicode.IsLetter(r) }) + 1
	if strings.TrimSpace(s[end+1:]) != "" && strings.Trim(s[end+1:], ". ") != "" {
		return "" // "Room B 2.30": the noun is not right before the number
	}
	return s[start : end+1]
}

// countFromEvent is true for a count before an event the text does not
// name: "30 minutes before", "5hr before", "a day earlier". It counts back
// from the meeting or flight, not from now.
func countFromEvent(r Result) bool {
	t := strings.TrimSpace(r.Text)
	i := strings.LastIndexByte(t, ' ')
	if r.Kind != Instant || i < 0 {
		return false
	}
	for _, w := range [...]string{"before", "earlier", "sebelum", "sblm", "prior"} {
		if strings.EqualFold(t[i+1:], w) {
			return true
		}
	}
	return false
}

// repeatedPart is a part of the day said twice, an adverb rather than a
// time: "pagi-pagi" is early, "malam-malam" late at night ("kenapa call
// pagi-pagi ni?", "jangan bising malam-malam"). With a day or a clock it is
// a time ("esok pagi-pagi kita gerak").
func repeatedPart(r Result) bool {
	if !strings.ContainsAny(r.Text, "-2") {
		return false
	}
	for _, w := range strings.Fields(strings.ToLower(r.Text)) {
		if !repeatedParts[w] && w != "ni" && w != "ini" {
			return false
		}
	}
	return true
}

var repeatedParts = map[string]bool{"pagi-pagi": true, "pagi2": true, "petang-petang": true, "ptg2": true,
	"malam-malam": true, "malam2": true, "mlm2": true, "siang-siang": true, "subuh-subuh": true}

// habitWords say that a time is a habit, a standing rule or a timetable: it
// holds every day, so a clock with no day names no single due time
// ("biasanya saya balik pukul 6", "I usually leave at 5", "setiap kali
// hujan kedai tutup pukul 5", "Opening hours: 9am - 6pm", "Borang hendaklah
// dihantar sebelum pukul 5 petang", "Klinik buka sampai pukul 10 malam").
// A place that "closes at 5" is left out: "Registration closes at 5pm" is
// today's deadline.
var habitWords = phrases("biasanya", "selalunya", "kebiasaannya", "lazimnya", "selalu", "sentiasa", "setiap kali",
	"tiap kali", "usually", "normally", "typically", "always", "generally", "every time", "whenever", "each time",
	"opening hours", "operating hours", "business hours", "office hours", "waktu operasi", "waktu pejabat",
	"waktu perniagaan", "waktu urusan", "waktu melawat", "visiting hours", "open until",
	"open till", "buka sampai", "buka hingga", "buka sehingga", "beroperasi dari", "hendaklah", "dikehendaki", "mestilah",
	"must be", "shall be", "are to be", "is to be", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays",
	"saturdays", "sundays", "weekdays", "weekends")

// habit is true for a clock with no day in a sentence with a habit word. A
// contrast between the two makes the time a one-off ("selalu lambat, tapi
// kali ni datang pukul 3"), and an obligation put to a person is an
// instruction ("you must be there by 5").
func habit(text string, r Result, clockOnly bool) bool {
	if !clockOnly || r.Start > len(text) || r.Stop > len(text) {
		return false
	}
	if _, ok := hasPhraseIn(wordsOf(text), habitWords); !ok {
		return false
	}
	lead, tail := text[:r.Start], text[r.Stop:]
	if i := strings.LastIndexAny(lead, ".!?;\n"); i >= 0 {
		lead = lead[i+1:] // "Thanks, always helpful. Meeting at 3?": another sentence's habit
	}
	if i := strings.IndexAny(tail, ",.!?;\n"); i >= 0 {
		tail = tail[:i] // "kelas pukul 8 malam, selalu full": the habit is the class's size
	}
	before := wordsOf(lead)
	if i := strings.LastIndexByte(lead, ','); i >= 0 {
		if _, ok := hasPhraseIn(before, habitClauses); !ok {
			before = wordsOf(lead[i+1:]) // "biasanya saya lambat, jadi jumpa pukul 3"
		}
	}
	if at, end := lastPhrase(before, habitWords); at >= 0 {
		return !contrasted(before[end-1:]) && !personDuty(before[:at+1], before[at:end])
	}
	after := wordsOf(tail)
	if at, _ := firstPhrase(after, habitWords); at >= 0 {
		return !contrasted(after[:at+1])
	}
	return false
}

// habitClauses open a clause that makes the next one a habit: "setiap kali
// hujan, kedai tutup pukul 5", "whenever you come, call me before 5pm".
// Other habit words speak of their own clause only.
var habitClauses = phrases("setiap kali", "tiap kali", "every time", "whenever", "each time")

// contrastWords set a one-off time against a habit.
var contrastWords = phrases("tapi", "tetapi", "but", "kali ni", "kali ini", "this time", "except", "kecuali")

// contrasted is true for words (padded with spaces) that hold a contrast.
func contrasted(padded string) bool {
	_, ok := hasPhraseIn(padded, contrastWords)
	return ok
}

// personDuty is an obligation with a person as its subject: "you must be
// there by 5". lead is the text before the phrase.
func personDuty(lead, phrase string) bool {
	if !strings.HasPrefix(phrase, " must ") && !strings.HasPrefix(phrase, " shall ") && !strings.HasPrefix(phrase, " are ") &&
		!strings.HasPrefix(phrase, " is ") {
		return false
	}
	f := strings.Fields(lead)
	return len(f) > 0 && persons[f[len(f)-1]]
}

// lastPhrase finds where the phrase of ps that occurs last in a padded text
// starts and ends (-1 when none does).
func lastPhrase(padded string, ps []string) (at, end int) {
	at = -1
	for _, p := range ps {
		if i := strings.LastIndex(padded, p); i > at {
			at, end = i, i+len(p)
		}
	}
	return at, end
}

// firstPhrase finds where the phrase of ps that occurs first in a padded
// text starts and ends (-1 when none does).
func firstPhrase(padded string, ps []string) (at, end int) {
	at = -1
	for _, p := range ps {
		if i := strings.Index(padded, p); i >= 0 && (at < 0 || i < at) {
			at, end = i, i+len(p)
		}
	}
	return at, end
}

// doneWords say an act is done: the clock after them is when it was done,
// earlier today ("barang dah sampai pukul 9 pagi", "I already called him at
// 9"); a clock still to come is a plan ("dah book pukul 3").
var doneWords = map[string]bool{"dah": true, "sudah": true, "telah": true, "already": true}

// doneEarlier is the clock's time earlier on ref's day, for a clock with
// no day a few words after a word of a done act, in the same clause, whose
// hour has passed: the parser,
// which reads a passed clock as the next day's, read the report as
// tomorrow.
func doneEarlier(text string, r Result, clockOnly bool, ref time.Time) (time.Time, bool) {
	if !clockOnly || r.Start > len(text) {
		return time.Time{}, false
	}
	clause := text[:r.Start]
	if i := strings.LastIndexAny(clause, ",.;!?"); i >= 0 {
		clause = clause[i+1:] // "dah confirm, meeting pukul 9": the done act is another clause's
	}
	if !containsFold(clause, "dah") && !containsFold(clause, "telah") && !containsFold(clause, "already") {
		return time.Time{}, false // "sudah" holds "dah"
	}
	f := strings.Fields(wordsOf(clause))
	done := false
	for i := max(0, len(f)-4); i < len(f); i++ {
		done = done || doneWords[f[i]]
	}
	if !done {
		return time.Time{}, false
	}
	t := r.Time.In(ref.Location())
	today := time.Date(ref.Year(), ref.Month(), ref.Day(), t.Hour(), t.Minute(), 0, 0, ref.Location())
	return today, !today.After(ref)
}

// phrases pads each phrase with spaces, to match whole words.
func phrases(ps ...string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = " " + p + " "
	}
	return out
}

// hasPhraseIn finds the first of ps in a padded text.
func hasPhraseIn(padded string, ps []string) (string, bool) {
	for _, p := range ps {
		if strings.Contains(padded, p) {
			return strings.TrimSpace(p), true
		}
	}
	return "", false
}

// wordsOf is text lower-cased with everything but letters, digits, "'" and
// "-" as single spaces, and a space at each end, to match whole words.
func wordsOf(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 2)
	b.WriteByte(' ')
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if out := b.String(); out[len(out)-1] != ' ' {
			b.WriteByte(' ')
		}
	}
	if out := b.String(); out[len(out)-1] != ' ' {
		b.WriteByte(' ')
	}
	return b.String()
}

// containsFold is strings.Contains ignoring ASCII case, without a copy.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// scoredOf is the reading of all that r was picked from, if r is one of
// them unchanged.
func scoredOf(all []Scored, r Result) (Scored, bool) {
	for _, s := range all {
		if s.Start == r.Start && s.Stop == r.Stop {
			return s, true
		}
	}
	return Scored{}, false
}
