package eval

import (
	"time"

	"github.com/juta-app/juta/ai/when"
)

// StartReader reads a time from a row's text the way one parser does: the
// start of what it found, and whether it found anything. ref is the row's
// reference in loc, the zone the row is written in.
type StartReader func(r *Row, ref time.Time, loc *time.Location) (time.Time, bool)

// WhenStart reads a row with ai/when, with the row's conventions (date order,
// country, chrono's nearest preference).
func WhenStart(r *Row, ref time.Time, loc *time.Location) (time.Time, bool) {
	res, ok := when.Parse(r.Text, ref, parseOptions(r, loc))
	return res.Time, ok
}

// StartTally counts rows read right by their start only.
type StartTally struct {
	Right, Rows int
}

// ScoreStarts scores time and negative rows by the start alone, to set two
// parsers side by side on what both give: a time row is right when the start
// cut to the row's grain (the clock only for time_only rows) equals the
// expected one, a negative row when nothing is read. Other rows are left out.
func ScoreStarts(rows []Row, read StartReader) StartTally {
	var t StartTally
	for i := range rows {
		r := &rows[i]
		loc := rowLocation(r, when.DefaultLocation())
		ref := reference(r, loc)
		switch r.KindOf() {
		case KindNegative:
			_, found := read(r, ref, loc)
			t.add(!found)
		case KindTime:
			t.add(startRight(r, read, ref, loc))
		}
	}
	return t
}

func (t *StartTally) add(ok bool) {
	t.Rows++
	if ok {
		t.Right++
	}
}

func startRight(r *Row, read StartReader, ref time.Time, loc *time.Location) bool {
	exp, err := time.ParseInLocation(layout, *r.Expected, loc)
	if err != nil {
		return false
	}
	got, ok := read(r, ref, loc)
	if !ok {
		return false
	}
	g, ok := when.ParseGrain(r.Grain)
	if !ok {
		g = when.Second
	}
	a, b := truncate(got.In(loc), g), truncate(exp, g)
	if r.Compare == "time_only" {
		return a.Format("15:04:05") == b.Format("15:04:05")
	}
	return a.Equal(b)
}
