package eval

import (
	"sort"
	"strings"
	"time"

	"github.com/juta-app/juta/ai/when"
)

const layout = "2006-01-02T15:04:05"

// defaultReference stands in for rows whose source gives no reference (their
// dates are absolute, so any reference will do).
const defaultReference = "2012-08-10T12:00:00"

// Tally counts right answers in one bucket.
type Tally struct {
	N        int     `json:"n"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
}

func (t *Tally) add(ok bool) {
	t.N++
	if ok {
		t.Correct++
	}
}

func (t *Tally) finish() {
	if t.N > 0 {
		t.Accuracy = round3(float64(t.Correct) / float64(t.N))
	}
}

// Miss is one row the parser or detector got wrong.
type Miss struct {
	ID       string `json:"id"`
	Bucket   string `json:"bucket"`
	Text     string `json:"text"`
	Expected string `json:"expected"`
	Got      string `json:"got"`
}

// parseOptions reads the row's conventions: its date order, and for chrono
// rows (which resolve to the nearest occurrence unless forwardDate is set)
// the nearest preference. Rows keep their own source's conventions so the
// score measures reading, not a choice of convention.
func parseOptions(r *Row, loc *time.Location) when.Options {
	o := when.Options{Location: loc}
	if r.DateOrder == "MDY" {
		o.DateOrder = when.MDY
	}
	o.Country = rowCountry(r.Locale)
	if strings.HasPrefix(r.Parser, "chrono") {
		opts, _ := r.Options.(string)
		if !strings.Contains(opts, "forwardDate") {
			o.Prefer = when.PreferNearest
		}
	}
	return o
}

// rowCountry is the country of a row's locale ("EN_CA" is Canada), whose
// holidays its names mean, as a user's country setting would; "EN" rows have
// none.
func rowCountry(locale string) string {
	if _, c, ok := strings.Cut(locale, "_"); ok && len(c) == 2 {
		return c
	}
	return ""
}

// rowLocation is the zone a row's reference and expected values are written
// in: the row's own fixed offset when it gives one (Duckling's corpus is in
// UTC-2), else loc. Rows that name a zone ("Thursday 8:00 GMT") can only be
// scored right in the zone their answer was written in.
func rowLocation(r *Row, loc *time.Location) *time.Location {
	if r.RefTZOffset == "" {
		return loc
	}
	t, err := time.Parse("-07:00", r.RefTZOffset)
	if err != nil {
		return loc
	}
	_, off := t.Zone()
	return time.FixedZone(r.RefTZOffset, off)
}

func reference(r *Row, loc *time.Location) time.Time {
	s := defaultReference
	if r.Reference != nil {
		s = *r.Reference
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		t, _ = time.ParseInLocation(layout, defaultReference, loc)
	}
	return t
}

// truncate cuts t to the start of its grain (weeks start on Monday).
func truncate(t time.Time, g when.Grain) time.Time {
	y, m, d := t.Date()
	loc := t.Location()
	switch g {
	case when.Second:
		return t.Truncate(time.Second)
	case when.Minute:
		return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, loc)
	case when.Hour:
		return time.Date(y, m, d, t.Hour(), 0, 0, 0, loc)
	case when.Day:
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	case when.Week:
		day := time.Date(y, m, d, 0, 0, 0, 0, loc)
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case when.Month:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	case when.Quarter:
		return time.Date(y, ((m-1)/3)*3+1, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y, 1, 1, 0, 0, 0, 0, loc)
}

// timeBucket names where a time row is reported.
func timeBucket(r *Row) string {
	switch {
	case r.Holiday != nil && r.Holiday != false:
		return "holiday"
	case r.ConventionSensitive:
		return "convention_sensitive"
	}
	return "main"
}

// timeScore is the verdict on one time row: the start cut to the row's
// grain (the only check before), then the kind and the interval's end.
type timeScore struct {
	start bool   // the start (or instant) is right at the row's grain
	kind  bool   // the kind is right (instant, interval, open before/after, due date)
	end   bool   // the end is right, or the row gives none
	got   string // what was read, for the miss list
}

func (s timeScore) ok() bool { return s.start && s.kind && s.end }

// scoreTime scores one time row: the first reading of the text, cut to the
// row's grain, must equal the expected instant (clock only for time_only),
// be of the row's kind, and end where the row's interval ends.
func scoreTime(r *Row, loc *time.Location) timeScore {
	loc = rowLocation(r, loc)
	ref := reference(r, loc)
	exp, err := time.ParseInLocation(layout, *r.Expected, loc)
	if err != nil {
		return timeScore{got: "bad expected"}
	}
	res, ok := when.Parse(r.Text, ref, parseOptions(r, loc))
	if !ok {
		return timeScore{got: "none"}
	}
	g, ok := when.ParseGrain(r.Grain)
	if !ok {
		g = when.Second
	}
	got := truncate(res.Time, g)
	want := truncate(exp, g)
	s := timeScore{got: got.Format(layout) + " " + kindName(res.Kind)}
	if res.Kind == when.Interval {
		s.got += ".." + truncate(res.End, g).Format(layout)
	}
	if r.Compare == "time_only" {
		s.start = got.Format("15:04:05") == want.Format("15:04:05")
		s.kind, s.end = true, true // only the clock is asserted
		return s
	}
	s.start = got.Equal(want)
	s.kind = kindMatches(r.Kind, res.Kind) || strings.HasPrefix(r.Parser, "chrono") && r.Kind == "instant" && res.Kind != when.Interval
	s.end = endMatches(r, res, g, loc)
	return s
}

// kindName names a parser kind as the data sets do.
func kindName(k when.Kind) string {
	switch k {
	case when.Interval:
		return "interval"
	case when.OpenAfter:
		return "open_after"
	case when.OpenBefore:
		return "open_before"
	}
	return "instant"
}

// kindMatches compares a row's kind with the parser's. (Chrono has no open
// kinds, so its "instant" rows also accept "before/after 4pm" read as open.) A due date ("sebelum
// Jumaat", "by Friday") is right as a deadline or as the day itself; rows
// without a kind accept any.
func kindMatches(want string, got when.Kind) bool {
	switch want {
	case "":
		return true
	case "due_date":
		return got == when.OpenBefore || got == when.Instant
	}
	return want == kindName(got)
}

// endMatches checks the end of an interval row. Sources write ends two ways:
// chrono and Lorvex give the last instant ("13:00 - 16:00" ends 16:00),
// Duckling the first instant after it at the row's grain ("9a to 11a" ends
// 12:00 at hour grain). Either is accepted, since both name the same span.
func endMatches(r *Row, res when.Result, g when.Grain, loc *time.Location) bool {
	if r.ExpectedEnd == nil || *r.ExpectedEnd == "" {
		return true
	}
	if res.Kind != when.Interval || res.End.IsZero() {
		return false
	}
	exp, err := time.ParseInLocation(layout, *r.ExpectedEnd, loc)
	if err != nil {
		return false
	}
	got := truncate(res.End, g)
	want := truncate(exp, g)
	return got.Equal(want) || next(got, g).Equal(want)
}

// next is the start of the grain after t (t already cut to g).
func next(t time.Time, g when.Grain) time.Time {
	switch g {
	case when.Second:
		return t.Add(time.Second)
	case when.Minute:
		return t.Add(time.Minute)
	case when.Hour:
		return t.Add(time.Hour)
	case when.Day:
		return t.AddDate(0, 0, 1)
	case when.Week:
		return t.AddDate(0, 0, 7)
	case when.Month:
		return t.AddDate(0, 1, 0)
	case when.Quarter:
		return t.AddDate(0, 3, 0)
	}
	return t.AddDate(1, 0, 0)
}

// scoreNegative scores a line that holds no time through the reading the
// product sets due times with (when.ReadDue): right when it gives no due
// time (nothing read, a past time, or a time with no single day). byParser
// is the parser-level verdict beside it: right only when when.Parse reads
// nothing at all (the due reading also drops what the parser reads as a
// time where the words around it make it none: "Bilik 15.10", "I'm at 10").
func scoreNegative(r *Row, loc *time.Location) (ok, byParser bool, got string) {
	loc = rowLocation(r, loc)
	ref := reference(r, loc)
	_, parsed := when.Parse(r.Text, ref, parseOptions(r, loc))
	d := when.ReadDue(r.Text, ref, parseOptions(r, loc))
	if d.State == when.NoTime {
		return true, !parsed, ""
	}
	return d.State != when.DueTime, !parsed, d.Text + " -> " + d.Time.Format(layout) + " (" + d.State.String() + ")"
}

func negativeBucket(r *Row) string {
	if strings.HasPrefix(r.NegativeCategory, "policy") {
		return "negatives_policy"
	}
	return "negatives"
}

// scoreRecurrence scores a repeating phrase: its repeat rule must equal the
// row's (RRULE parts compared as sets, days in any order; "daily" is
// FREQ=DAILY), and its clock time too when the row gives one.
func scoreRecurrence(r *Row, loc *time.Location) (ok bool, got string) {
	rep, found := when.ParseRepeat(r.Text)
	got = "none"
	if found {
		got = rep.RRULE()
	}
	ok = found && sameRule(got, r.Rule)
	if r.Time != "" {
		clock := "none"
		if res, parsed := when.Parse(r.Text, reference(r, loc), when.Options{Location: loc}); parsed {
			clock = res.Time.Format("15:04")
		}
		ok = ok && clock == r.Time
		got += " " + clock
	}
	return ok, got
}

// ruleParts reads an RRULE (or a bare frequency word) into a set of
// canonical parts: BYDAY's days are sorted, INTERVAL=1 dropped.
func ruleParts(rule string) map[string]bool {
	rule = strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:"))
	if !strings.Contains(rule, "=") {
		rule = "FREQ=" + rule
	}
	out := map[string]bool{}
	for _, p := range strings.Split(rule, ";") {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "INTERVAL":
			if v == "1" {
				continue
			}
		case "BYDAY":
			days := strings.Split(v, ",")
			sort.Strings(days)
			v = strings.Join(days, ",")
		}
		out[k+"="+v] = true
	}
	return out
}

func sameRule(a, b string) bool {
	pa, pb := ruleParts(a), ruleParts(b)
	if len(pa) != len(pb) {
		return false
	}
	for k := range pa {
		if !pb[k] {
			return false
		}
	}
	return true
}

func round3(f float64) float64 {
	return float64(int(f*1000+0.5)) / 1000
}
