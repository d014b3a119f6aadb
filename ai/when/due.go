package when

import (
	"strings"
	"time"
	"unicode"
)

// DueState says what a text's due-time reading found.
type DueState uint8

// Due states. Only DueTime gives a time to set a reminder at; the others say
// why there is none, so that callers can tell a history ("dah bayar semalam")
// from a plan without a day ("bulan depan").
const (
	NoTime  DueState = iota // no time expression at all
	DueTime                 // one instant, one day, a deadline or a written window: due at its start
	Past                    // a time already gone: "semalam", "Isnin lepas", "pukul 3 tadi", "2 hours ago"
	NoDay                   // a time with no single day: a week, a month, a year, or several days
)

var dueStateNames = [...]string{"none", "due", "past", "no single day"}

func (s DueState) String() string {
	if int(s) < len(dueStateNames) {
		return dueStateNames[s]
	}
	return "unknown"
}

// Due is the due-time reading of a text: the parser's reading and what it
// means for a due time.
type Due struct {
	Result
	State DueState
}

// ReadDue is the reading a product uses to set due times. Parse reads every
// time expression a parser must (past days, whole months, "next week" as
// the parser's sources resolve them); ReadDue keeps only what can be due:
//
//   - a time in the future or on ref's day (a clock earlier today still names
//     today's meeting), as one instant, one day, a deadline ("before 5pm",
//     "by Friday") or a window written with both ends ("3-5pm", "22-23 Okt"),
//     which is due at its start;
//   - a time before ref's day, or one that ends in or is followed by "tadi",
//     "td" or "ago" (or ends in "lalu", "lepas": "2 jam yang lalu"), is Past:
//     history, never a due time;
//   - NoDay, a time with no single day, which a person would not set a
//     reminder from without asking which day: a reading coarser than a day
//     ("minggu ini", "next week", "bulan depan", "sebulan lagi", "Mei",
//     "tahun depan"); two days joined by "dan", "atau", "and", "or", "&" or a
//     comma ("Kelas Isnin dan Rabu", "Monday or Tuesday"); a weekend that
//     bounds no deadline ("untuk hujung minggu", "selepas hujung minggu"); a count of working days ("dalam 3 hari bekerja"); a
//     repeat ParseRepeat refuses ("setiap Isnin pertama", "setiap hari kecuali
//     Ahad"). A count of days names one day ("3 hari lagi"); a count of weeks
//     or months is read at a week's or month's grain ("in 2 weeks", "dalam
//     seminggu", "sebulan lagi") and names none.
//
// The words around a reading decide too (notdue.go, habit.go): a number that names a
// room or a seat ("Bilik 15.10"), a level ("I'm at 10"), nights ("homestay 3
// malam"), a score or a range ("3-1"), a mistyped year-first date or a wait
// of seconds is no time; a count from an event the text does not name ("30
// minutes before"), a part of the day said twice ("pagi-pagi"), a time after
// the weekend, and a clock with no day in a habit, a standing rule or a
// timetable ("biasanya saya balik pukul 6", "Opening hours: 9am - 6pm") are
// NoDay; a clock with no day in a clause that reports a done act ("barang
// dah sampai pukul 9 pagi") whose hour has passed is Past, at that hour
// today.
//
// A repeating phrase ParseRepeat reads ("setiap Isnin pukul 9") is read like
// any other: its first occurrence is the due time, and the rule repeats it.
func ReadDue(text string, ref time.Time, opts Options) Due {
	if opts.Location == nil {
		opts.Location = defaultLoc
	}
	all := notTimes(text, ParseAll(maskPlaceNumbers(text), ref, opts))
	if len(all) == 0 {
		return Due{}
	}
	r := pick(text, all, opts)
	s, _ := scoredOf(all, r)
	d := Due{Result: r, State: DueTime}
	done, doneBefore := doneEarlier(text, r, s.clockOnly, ref)
	switch {
	case IsPast(r, ref) || pastMarked(text, r):
		d.State = Past
	case doneBefore:
		d.State, d.Time = Past, done
	case r.Grain >= Week || severalDays(text, all, opts.Location) && !repeats(text) || noDayWords(text, r) || UnreadRepeat(text):
		d.State = NoDay
	case countFromEvent(r) || repeatedPart(r) || habit(text, r, s.clockOnly):
		d.State = NoDay
	}
	return d
}

// noDayWords is true for a weekend read as a day or a window ("hujung
// minggu", "this weekend": Saturday or Sunday, and Friday in the states whose
// weekend starts then) or as what comes after it ("after the weekend": the
// next week, no day named), unless it bounds a deadline ("sebelum hujung
// minggu"), and for a count of working days ("dalam 3 hari bekerja", "within
// 5 working days"), whose day depends on the state's weekend and on public
// holidays.
func noDayWords(text string, r Result) bool {
	span := " " + strings.ToLower(r.Text) + " "
	if (strings.Contains(span, " hujung minggu ") || strings.Contains(span, "weekend") || strings.Contains(span, "week-end")) &&
		r.Kind != OpenBefore {
		return true
	}
	next := ""
	if r.Stop >= 0 && r.Stop <= len(text) {
		next = firstWord(strings.ToLower(text[r.Stop:]))
	}
	return workWords[next] || strings.Contains(span, " working ") || strings.Contains(span, " business ")
}

// workWords after a count of days make them working days.
var workWords = map[string]bool{"bekerja": true, "kerja": true, "working": true, "business": true}

// pastMarks after a time put it in the past: "pukul 3 tadi" (earlier today),
// "2 hours ago".
var pastMarks = map[string]bool{"tadi": true, "td": true, "ago": true}

// agoWords end a count read as gone: "2 jam yang lalu", "sejam lepas".
var agoWords = map[string]bool{"lalu": true, "lepas": true}

// pastMarked is true when the phrase read ends in a past mark or the next
// word after it is one: "pagi tadi", "transfer dah buat pukul 3 tadi", "2
// jam yang lalu" (read earlier today).
func pastMarked(text string, r Result) bool {
	span := strings.ToLower(strings.TrimSpace(r.Text))
	last := span[strings.LastIndexByte(span, ' ')+1:]
	if pastMarks[last] || agoWords[last] {
		return true
	}
	if r.Stop < 0 || r.Stop > len(text) {
		return false
	}
	return pastMarks[firstWord(strings.ToLower(text[r.Stop:]))]
}

// firstWord is the first run of letters in s.
func firstWord(s string) string {
	start := strings.IndexFunc(s, unicode.IsLetter)
	if start < 0 {
		return ""
	}
	s = s[start:]
	if end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); end >= 0 {
		return s[:end]
	}
	return s
}

// listJoins join alternatives or a list: "Isnin dan Rabu", "Monday or
// Tuesday", "Isnin, Rabu dan Jumaat", "Isnin & Khamis".
var listJoins = map[string]bool{"dan": true, "atau": true, "and": true, "or": true, "&": true, "n": true}

// severalDays is true when two readings on different days are joined by a
// list word and nothing else: the text names a choice or a list of days.
func severalDays(text string, all []Scored, loc *time.Location) bool {
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.clockOnly || b.clockOnly || sameDay(a.Time, b.Time, loc) {
			continue
		}
		between := strings.ToLower(strings.TrimSpace(text[a.Stop:b.Start]))
		if between == "," && a.Grain == Day && b.Grain == Day { // "Isnin, Rabu dan Jumaat"; not "esok pukul 3, Isnin ..."
			return true
		}
		between = strings.TrimSpace(strings.TrimPrefix(between, ","))
		if listJoins[firstField(between)] && len(strings.Fields(between)) <= 2 {
			return true
		}
	}
	return false
}

// repeats is true for a repeating phrase, whose list of days is its rule
// ("setiap Isnin dan Rabu"), not a choice.
func repeats(text string) bool {
	_, ok := ParseRepeat(text)
	return ok
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	return ay == by && am == bm && ad == bd
}
