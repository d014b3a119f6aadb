package eval

import (
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
	if strings.HasPrefix(r.Parser, "chrono") {
		opts, _ := r.Options.(string)
		if !strings.Contains(opts, "forwardDate") {
			o.Prefer = when.PreferNearest
		}
	}
	return o
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

// scoreTime scores one time row: the first reading of the text, cut to the
// row's grain, must equal the expected instant (clock only for time_only).
func scoreTime(r *Row, loc *time.Location) (bool, string) {
	loc = rowLocation(r, loc)
	ref := reference(r, loc)
	exp, err := time.ParseInLocation(layout, *r.Expected, loc)
	if err != nil {
		return false, "bad expected"
	}
	res, ok := when.Parse(r.Text, ref, parseOptions(r, loc))
	if !ok {
		return false, "none"
	}
	g, ok := when.ParseGrain(r.Grain)
	if !ok {
		g = when.Second
	}
	got := truncate(res.Time, g)
	want := truncate(exp, g)
	if r.Compare == "time_only" {
		return got.Format("15:04:05") == want.Format("15:04:05"), got.Format(layout)
	}
	return got.Equal(want), got.Format(layout)
}

// scoreNegative is right when nothing is read.
func scoreNegative(r *Row, loc *time.Location) (bool, string) {
	loc = rowLocation(r, loc)
	res, ok := when.Parse(r.Text, reference(r, loc), parseOptions(r, loc))
	if ok {
		return false, res.Text + " -> " + res.Time.Format(layout)
	}
	return true, ""
}

func negativeBucket(r *Row) string {
	if strings.HasPrefix(r.NegativeCategory, "policy") {
		return "negatives_policy"
	}
	return "negatives"
}

// scoreRecurrence checks the clock time of repeating phrases that give one
// ("setiap hari pukul 7 pagi"); the repeat rule itself is not read yet.
func scoreRecurrence(r *Row, loc *time.Location) (bool, string, bool) {
	if r.Time == "" {
		return false, "", false
	}
	res, ok := when.Parse(r.Text, reference(r, loc), when.Options{Location: loc})
	if !ok {
		return false, "none", true
	}
	got := res.Time.Format("15:04")
	return got == r.Time, got, true
}

func round3(f float64) float64 {
	return float64(int(f*1000+0.5)) / 1000
}
