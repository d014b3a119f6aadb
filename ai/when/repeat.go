package when

import (
	"strconv"
	"strings"
	"time"
)

// Freq is how often a repeating phrase comes back (RFC 5545 FREQ).
type Freq uint8

// Frequencies.
const (
	NoRepeat Freq = iota
	Daily
	Weekly
	Monthly
	Yearly
)

var freqNames = [...]string{"", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}

// Repeat is a repeat rule read from text ("setiap Isnin", "every 2 weeks",
// "15hb setiap bulan", "harian").
type Repeat struct {
	Freq       Freq
	Interval   int            // 1 when not said
	ByDay      []time.Weekday // weekly: the days of the week
	ByMonthDay int            // monthly: the day of the month, 0 when not said
	Text       string         // the phrase that was read
}

// RRULE renders the rule as RFC 5545 RRULE parts without the "RRULE:"
// prefix: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH". Days come Sunday first.
func (r Repeat) RRULE() string {
	if r.Freq == NoRepeat {
		return ""
	}
	var b strings.Builder
	b.WriteString("FREQ=" + freqNames[r.Freq])
	if r.Interval > 1 {
		b.WriteString(";INTERVAL=" + strconv.Itoa(r.Interval))
	}
	if len(r.ByDay) > 0 {
		b.WriteString(";BYDAY=")
		first := true
		for d := time.Sunday; d <= time.Saturday; d++ {
			if hasDay(r.ByDay, d) {
				if !first {
					b.WriteByte(',')
				}
				b.WriteString(rruleDays[d])
				first = false
			}
		}
	}
	if r.ByMonthDay > 0 {
		b.WriteString(";BYMONTHDAY=" + strconv.Itoa(r.ByMonthDay))
	}
	return b.String()
}

var rruleDays = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

func hasDay(ds []time.Weekday, d time.Weekday) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
var weekend = []time.Weekday{time.Saturday, time.Sunday}

// everyWords open a repeat: "setiap", "tiap(-tiap)", "every", "each".
var everyWords = map[string]bool{"setiap": true, "tiap": true, "every": true, "each": true, "stiap": true, "tiap2": true}

// adjFreq are words that are a frequency on their own.
var adjFreq = map[string]Freq{
	"harian": Daily, "daily": Daily, "everyday": Daily, "mingguan": Weekly, "weekly": Weekly, "bulanan": Monthly,
	"monthly": Monthly, "tahunan": Yearly, "yearly": Yearly, "annually": Yearly,
}

// unitFreq maps a unit word to the frequency it repeats at.
func unitFreq(u unit) Freq {
	switch u {
	case uDay:
		return Daily
	case uWeek:
		return Weekly
	case uMonth:
		return Monthly
	case uYear:
		return Yearly
	}
	return NoRepeat
}

// ParseRepeat reads the repeat rule of text, if it has one.
func ParseRepeat(text string) (Repeat, bool) {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	if !mayRepeat(text) {
		return Repeat{}, false
	}
	r, ok, qualified := readRepeat(text)
	return r, ok && !qualified
}

// readRepeat reads the first repeat rule of text. qualified is true when
// words after it change it in ways a Repeat cannot hold: an ordinal ("setiap
// Isnin pertama": the first Monday of each month), an
// exception ("setiap hari kecuali Ahad"), more days of the month ("tarikh 5
// dan 20") or a named day or month after the unit ("setiap hari raya",
// "setiap bulan Ramadan"). Such a rule is refused rather than read wrong.
func readRepeat(text string) (r Repeat, ok, qualified bool) {
	rp := repeatReader{toks: lex(text)}
	for i := range rp.toks {
		if r, end, ok := rp.at(i); ok {
			if r.Interval == 0 {
				r.Interval = 1
			}
			rp.monthDayAround(&r, i, end)
			r.Text = text[rp.toks[i].start:rp.toks[end-1].end]
			return r, true, rp.qualifiedAt(end)
		}
	}
	return Repeat{}, false, false
}

// UnreadRepeat is true when text repeats in a way ParseRepeat refuses to
// read (see readRepeat): such a text names no single day either.
func UnreadRepeat(text string) bool {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	if !mayRepeat(text) {
		return false
	}
	_, ok, qualified := readRepeat(text)
	return ok && qualified
}

// repeatQualifiers after a rule change it: ordinals of a weekday in the
// month, exceptions, and names that make "hari" or "bulan" part of a holiday
// or a month rather than a unit.
var repeatQualifiers = map[string]bool{"pertama": true, "kedua": true, "ketiga": true, "keempat": true,
	"kelima": true, "terakhir": true, "first": true, "second": true, "third": true, "fourth": true, "last": true,
	"kecuali": true, "selain": true, "except": true, "excluding": true, "raya": true, "ramadan": true,
	"ramadhan": true, "puasa": true}

func (rp *repeatReader) qualifiedAt(end int) bool {
	w := rp.word(end)
	if repeatQualifiers[w] {
		return true
	}
	if _, ok := monthWords[w]; ok && rp.word(end-1) == "bulan" {
		return true // "setiap bulan Oktober" is yearly in October, not monthly
	}
	if (w == "dan" || w == "and" || w == ",") && end+1 < len(rp.toks) && rp.toks[end+1].kind == tNum {
		return true // "setiap tarikh 5 dan 20"
	}
	return false
}

// repeatHints are in every text a repeat rule can be read from: the words
// that open one in repeatReader.at (and the "1x" form). Texts without any
// are not lexed a second time.
var repeatHints = []string{"setiap", "tiap", "every", "each", "harian", "daily", "mingguan", "weekly", "bulanan",
	"monthly", "tahunan", "yearly", "annual", "once", "sekali", "weekday", "kerja", "days", "kali", "1x", "1 x"}

func mayRepeat(text string) bool {
	lower := strings.ToLower(text)
	for _, h := range repeatHints {
		if strings.Contains(lower, h) {
			return true
		}
	}
	return false
}

type repeatReader struct{ toks []token }

func (rp *repeatReader) word(i int) string {
	if i < 0 || i >= len(rp.toks) || rp.toks[i].kind == tNum {
		return ""
	}
	return rp.toks[i].text
}

// num reads a count at i: "2", "dua", "two".
func (rp *repeatReader) num(i int) (int, bool) {
	if i >= len(rp.toks) {
		return 0, false
	}
	t := rp.toks[i]
	if t.kind == tNum && t.digits <= 3 {
		return t.num, true
	}
	if n, ok := numberWords[t.text]; ok && t.text != "a" && t.text != "an" && n > 0 {
		return n, true
	}
	return 0, false
}

// at reads a repeat starting at token i and returns it with the index after it.
func (rp *repeatReader) at(i int) (Repeat, int, bool) {
	w := rp.word(i)
	switch {
	case everyWords[w]:
		return rp.afterEvery(i + 1)
	case adjFreq[w] != NoRepeat && !(w == "tahunan" && rp.word(i-1) == "cuti"):
		// "annual" names events and leave ("annual dinner", "annual leave",
		// "cuti tahunan") more than repeats, so it is not read
		r := Repeat{Freq: adjFreq[w]}
		return r, i + 1, true
	case w == "once" || w == "sekali":
		return rp.once(i)
	case w == "pada" || w == "on":
		if end, ok := rp.workdays(i + 1); ok {
			return Repeat{Freq: Weekly, ByDay: weekdays}, end, true
		}
		if d, ok := pluralWeekday(rp.word(i + 1)); ok {
			return Repeat{Freq: Weekly, ByDay: []time.Weekday{d}}, i + 2, true
		}
	case w == "weekdays":
		return Repeat{Freq: Weekly, ByDay: weekdays}, i + 1, true
	}
	// "2 hari sekali", "dua minggu sekali hari Khamis", "sehari sekali", "1x sehari", "1 kali seminggu"
	if n, ok := rp.num(i); ok {
		if u, ok := unitWords[rp.word(i+1)]; ok && rp.word(i+2) == "sekali" {
			r := intervalOf(n, u)
			end := rp.byDays(&r, i+3)
			return r, end, r.Freq != NoRepeat
		}
		if n == 1 && (rp.word(i+1) == "x" || rp.word(i+1) == "kali") {
			return rp.perUnit(i + 2)
		}
	}
	if u, ok := seUnitWords[w]; ok && rp.word(i+1) == "sekali" && u >= uDay {
		return Repeat{Freq: unitFreq(u)}, i + 2, true
	}
	return Repeat{}, 0, false
}

// once reads "sekali sehari", "sekali dalam 2 minggu", "once a week".
func (rp *repeatReader) once(i int) (Repeat, int, bool) {
	j := i + 1
	if w := rp.word(j); w == "dalam" || w == "a" || w == "per" || w == "every" || w == "in" {
		j++
	}
	if u, ok := seUnitWords[rp.word(j)]; ok && u >= uDay {
		return Repeat{Freq: unitFreq(u)}, j + 1, true
	}
	n := 1
	if k, ok := rp.num(j); ok {
		n = k
		j++
	}
	if u, ok := unitWords[rp.word(j)]; ok {
		r := intervalOf(n, u)
		return r, j + 1, r.Freq != NoRepeat
	}
	return Repeat{}, 0, false
}

// perUnit reads what follows "1x" or "1 kali": "sehari", "per bulan", "seminggu".
func (rp *repeatReader) perUnit(j int) (Repeat, int, bool) {
	if w := rp.word(j); w == "per" || w == "a" || w == "dalam" {
		j++
	}
	if u, ok := seUnitWords[rp.word(j)]; ok && u >= uDay {
		return Repeat{Freq: unitFreq(u)}, j + 1, true
	}
	if u, ok := unitWords[rp.word(j)]; ok && unitFreq(u) != NoRepeat {
		return Repeat{Freq: unitFreq(u)}, j + 1, true
	}
	return Repeat{}, 0, false
}

// intervalOf turns "N units" into a rule; 14 days is every 2 weeks.
func intervalOf(n int, u unit) Repeat {
	if u == uDay && n%7 == 0 && n > 0 {
		return Repeat{Freq: Weekly, Interval: n / 7}
	}
	return Repeat{Freq: unitFreq(u), Interval: n}
}

// afterEvery reads what follows "setiap" / "every".
func (rp *repeatReader) afterEvery(j int) (Repeat, int, bool) {
	for rp.word(j) == "tiap" || rp.word(j) == "-" || (j < len(rp.toks) && rp.toks[j].text == "-" && rp.word(j+1) == "tiap") {
		j++
	}
	n := 0
	switch w := rp.word(j); {
	case w == "other" || w == "alternate" || w == "selang":
		n, j = 2, j+1
	case ordinalWords[w] == 2 || rp.isOrdinal(j, 2):
		n = 2
		if rp.isOrdinal(j, 2) && rp.toks[j].kind == tNum {
			j++
		}
		j++
	default:
		if k, ok := rp.num(j); ok && rp.word(j+1) != "hb" && !rp.glued(j+1) {
			n, j = k, j+1
		}
	}
	if rp.word(j) == "suku" && rp.word(j+1) == "tahun" || rp.word(j) == "quarter" {
		return Repeat{Freq: Monthly, Interval: 3}, j + 1 + b2i(rp.word(j) == "suku"), true
	}
	if d, ok := listDay(rp.word(j)); ok { // "every mon wed fri": after "every", "mon" is a day
		days, end := rp.moreDays([]time.Weekday{d}, j+1)
		return Repeat{Freq: Weekly, Interval: max(n, 1), ByDay: days}, end, true
	}
	if u, ok := unitWords[rp.word(j)]; ok && unitFreq(u) != NoRepeat {
		r := intervalOf(max(n, 1), u)
		if u == uDay {
			if end, ok := rp.workdays(j); ok {
				return Repeat{Freq: Weekly, ByDay: weekdays}, end, true
			}
		}
		end := rp.byDays(&r, j+1)
		return r, end, true
	}
	if end, ok := rp.workdays(j); ok {
		return Repeat{Freq: Weekly, Interval: max(n, 1), ByDay: weekdays}, end, true
	}
	if _, ok := partWords[rp.word(j)]; ok && n == 0 {
		return Repeat{Freq: Daily}, j + 1, true
	}
	r := Repeat{Freq: Weekly, Interval: max(n, 1)}
	if end := rp.byDays(&r, j); end > j {
		return r, end, true
	}
	if md, end, ok := rp.monthDay(j); ok {
		return Repeat{Freq: Monthly, ByMonthDay: md}, end, true
	}
	return Repeat{}, 0, false
}

func (rp *repeatReader) glued(i int) bool { return i < len(rp.toks) && rp.toks[i].glued }

func (rp *repeatReader) isOrdinal(j, n int) bool {
	if j >= len(rp.toks) || rp.toks[j].kind != tNum || rp.toks[j].num != n {
		return false
	}
	s := rp.word(j + 1)
	return rp.glued(j+1) && (s == "nd" || s == "st" || s == "rd" || s == "th")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// workdays reads "hari kerja", "hari bekerja", "hari-hari kerja", "weekday(s)",
// "hujung minggu", "weekend(s)" at j.
func (rp *repeatReader) workdays(j int) (int, bool) {
	w := rp.word(j)
	if w == "weekday" || w == "weekdays" {
		return j + 1, true
	}
	if w != "hari" {
		return 0, false
	}
	k := j + 1
	if rp.word(k) == "-" || (k < len(rp.toks) && rp.toks[k].text == "-") {
		k++
	}
	if rp.word(k) == "hari" {
		k++
	}
	if w := rp.word(k); w == "kerja" || w == "bekerja" {
		return k + 1, true
	}
	return 0, false
}

// byDays reads the weekdays of a weekly rule after j ("pada hari Isnin",
// "Isnin dan Khamis", "Isnin hingga Jumaat", "hujung minggu").
func (rp *repeatReader) byDays(r *Repeat, j int) int {
	k := j
	if w := rp.word(k); w == "pada" || w == "on" {
		k++
	}
	if rp.word(k) == "hari" {
		k++
	}
	if w := rp.word(k); w == "hujung" && rp.word(k+1) == "minggu" || w == "weekend" || w == "weekends" {
		r.Freq, r.ByDay = Weekly, weekend
		if w == "hujung" {
			k++
		}
		return k + 1
	}
	days, end := rp.dayList(k)
	if len(days) == 0 {
		return j
	}
	if r.Freq == Daily && r.Interval <= 1 || r.Freq == NoRepeat {
		r.Freq = Weekly
	}
	if r.Freq != Weekly {
		return j
	}
	r.ByDay = days
	return end
}

// dayList reads "Isnin", "Isnin, Rabu dan Jumaat", "Isnin - Khamis",
// "Jumaat sampai Ahad".
func (rp *repeatReader) dayList(k int) ([]time.Weekday, int) {
	d, ok := weekdayAt(rp.word(k))
	if !ok {
		return nil, k
	}
	return rp.moreDays([]time.Weekday{d}, k+1)
}

// moreDays reads the rest of a list of days after its first, at k.
func (rp *repeatReader) moreDays(days []time.Weekday, k int) ([]time.Weekday, int) {
	for {
		sep := rp.word(k)
		if k < len(rp.toks) && rp.toks[k].kind == tSym {
			sep = rp.toks[k].text
		}
		if d2, ok := listDay(sep); ok { // "mon wed fri", written with spaces only
			days = append(days, d2)
			k++
			continue
		}
		next := k + 1
		if sep == "," && (rp.word(next) == "dan" || rp.word(next) == "and") {
			next++
		}
		d2, ok := listDay(rp.word(next))
		if !ok {
			return days, k
		}
		switch sep {
		case ",", "dan", "and", "&":
			days = append(days, d2)
		case "-", "hingga", "sehingga", "sampai", "to", "until", "till", "through":
			for x := (days[len(days)-1] + 1) % 7; x != d2; x = (x + 1) % 7 {
				days = append(days, x)
			}
			days = append(days, d2)
		default:
			return days, k
		}
		k = next + 1
	}
}

// listDay reads a day inside a list or after "every", where short forms
// that are also words ("wed", "sat") are days.
func listDay(w string) (time.Weekday, bool) {
	if d, ok := weekdayWords[w]; ok {
		return d, true
	}
	return pluralWeekday(w)
}

// weekdayAt reads a weekday name, singular or plural ("Isnin", "mondays").
// Short forms that are also words ("sat", "sun") do not count here.
func weekdayAt(w string) (time.Weekday, bool) {
	if d, ok := weekdayWords[w]; ok && !ambiguousWeekdays[w] {
		return d, true
	}
	return pluralWeekday(w)
}

func pluralWeekday(w string) (time.Weekday, bool) {
	if strings.HasSuffix(w, "days") {
		d, ok := weekdayWords[strings.TrimSuffix(w, "s")]
		return d, ok
	}
	return 0, false
}

// monthDay reads a day of the month at j: "15hb", "tarikh 15", "pada 15hb",
// "haribulan 15", "5th", "the 5th". An amount ("15 ribu") is not a day.
func (rp *repeatReader) monthDay(j int) (int, int, bool) {
	k := j
	for w := rp.word(k); w == "pada" || w == "on" || w == "the" || w == "tarikh" || w == "tarikh:"; w = rp.word(k) {
		k++
	}
	if k >= len(rp.toks) || rp.toks[k].kind != tNum || rp.toks[k].num < 1 || rp.toks[k].num > 31 {
		return 0, j, false
	}
	n := rp.toks[k].num
	suffix := rp.word(k + 1)
	switch {
	case suffix == "hb" || rp.glued(k+1) && (suffix == "th" || suffix == "st" || suffix == "nd" || suffix == "rd"):
		return n, k + 2, true
	case suffix == "haribulan" || suffix == "hari" && rp.word(k+2) == "bulan":
		return n, k + 2, true
	case k > j && rp.word(k-1) == "tarikh" && suffix != "ribu" && suffix != "k" && !rp.glued(k+1):
		return n, k + 1, true
	}
	return 0, j, false
}

// monthDayAround finds the day of a monthly rule written before or after
// it: "15hb setiap bulan", "setiap bulan pada tarikh 15".
func (rp *repeatReader) monthDayAround(r *Repeat, start, end int) {
	if r.Freq != Monthly || r.ByMonthDay > 0 || r.Interval > 1 {
		return
	}
	if md, _, ok := rp.monthDay(end); ok {
		r.ByMonthDay = md
		return
	}
	for k := max(0, start-3); k < start; k++ {
		if md, e, ok := rp.monthDay(k); ok && e == start {
			r.ByMonthDay = md
			return
		}
	}
}
