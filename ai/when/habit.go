package when

import (
	"strings"
	"time"
	"unicode"
)

// Times that are no single due time (NoDay) or a report of what was done
// (Past): counted from an unnamed event, a part of the day said twice, a
// habit, a standing rule or a timetable, and a clock after "dah" or
// "already" that has passed. The numbers that are no time at all are in
// notdue.go.

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
