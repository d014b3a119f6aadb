// Package when reads time expressions in English, Malay and code-mixed chat
// text ("esok pukul 3 petang", "next Friday 10am", "15hb Okt", "dalam 2 jam")
// and resolves them against a reference instant in the user's zone.
//
// It is a focused, deterministic parser for chat messages, not a general
// date library: it finds the first (best) time expression in a line, resolves
// it to an absolute instant with a grain, and reports the text it used.
package when

import (
	"strings"
	"time"
)

// Grain is the precision of a resolved time.
type Grain uint8

// Grains, finest first.
const (
	Second Grain = iota
	Minute
	Hour
	Day
	Week
	Month
	Quarter
	Year
)

var grainNames = [...]string{"second", "minute", "hour", "day", "week", "month", "quarter", "year"}

func (g Grain) String() string {
	if int(g) < len(grainNames) {
		return grainNames[g]
	}
	return "unknown"
}

// ParseGrain returns the grain named s ("day", "minute", ...).
func ParseGrain(s string) (Grain, bool) {
	for i, n := range grainNames {
		if n == s {
			return Grain(i), true
		}
	}
	return 0, false
}

// Kind says how the instant relates to the phrase.
type Kind uint8

// Kinds of result.
const (
	Instant    Kind = iota // a point ("3pm tomorrow")
	Interval               // Time..End ("3-4pm", "dari Isnin hingga Rabu")
	OpenAfter              // from Time on ("after 2pm", "selepas pukul 6")
	OpenBefore             // until Time ("before Friday", "sebelum Jumaat", "by Monday")
)

// DateOrder says how an all-numeric date like 2/3 is read.
type DateOrder uint8

// Date orders. Malaysia writes day first.
const (
	DMY DateOrder = iota
	MDY
)

// Prefer says which occurrence a phrase without a year or week means.
type Prefer uint8

// Preferences. Chat is about what comes next, so the default is the future.
const (
	PreferFuture  Prefer = iota // "Monday" = the next Monday, "5 May" = the next 5 May
	PreferNearest               // the occurrence closest to the reference, before or after
)

// Options tune the parser. The zero value means Asia/Kuala_Lumpur, D/M/Y and
// future dates.
type Options struct {
	Location  *time.Location
	DateOrder DateOrder
	Prefer    Prefer
	// Place is where prayer times ("lepas zohor") are computed; nil means
	// Kuala Lumpur.
	Place *Place
	// Country is the ISO 3166-1 alpha-2 code of the country whose holidays a
	// name means where countries differ ("CA": Thanksgiving is in October,
	// "US": Labor Day is in September). Empty means Malaysia, with the common
	// English days (US Thanksgiving, Mother's Day in May).
	Country string
}

// Result is one resolved time expression.
type Result struct {
	Time  time.Time // the instant, or the start of an interval
	End   time.Time // the end of an interval (exclusive at Grain); zero otherwise
	Grain Grain
	Kind  Kind
	Text  string // the phrase that was read
	Start int    // byte offsets of Text in the input
	Stop  int
}

var defaultLoc = mustLoad("Asia/Kuala_Lumpur")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Without tzdata Malaysia is still UTC+8 with no daylight saving.
		return time.FixedZone("MYT", 8*3600)
	}
	return loc
}

// DefaultLocation is the zone used when Options.Location is nil.
func DefaultLocation() *time.Location { return defaultLoc }

// Parse finds the best time expression in text and resolves it against ref.
// It reports false when the text holds none.
func Parse(text string, ref time.Time, opts Options) (Result, bool) {
	all := ParseAll(text, ref, opts)
	if len(all) == 0 {
		return Result{}, false
	}
	return pick(text, all, opts), true
}

// pick chooses the reading of a text among all its expressions: the one the
// text reschedules to, the one put "instead", or the heaviest (with a day
// and a clock written apart joined).
func pick(text string, all []Scored, opts Options) Result {
	best := 0
	for i := 1; i < len(all); i++ {
		if weightOf(all[i]) > weightOf(all[best]) {
			best = i
		}
	}
	if r, ok := rescheduled(text, all, opts); ok {
		return r
	}
	if r, ok := insteadAfter(text, all); ok {
		return r
	}
	return joinSplit(all, best, opts)
}

// insteadWords put a new time before the one it replaces: "9.30 instead
// of 10 tomorrow", "pukul 4 bukan 3 esok".
var insteadWords = []string{" instead of ", " rather than ", " bukan ", " not ", " ganti "}

// rescheduled reads "A instead of B": the time is A, on B's day when A
// names none.
func rescheduled(text string, all []Scored, opts Options) (Result, bool) {
	if len(all) != 2 || !all[0].clockOnly || all[1].Kind != Instant {
		return Result{}, false
	}
	between := " " + strings.ToLower(text[all[0].Stop:all[1].Start]) + " "
	found := false
	for _, w := range insteadWords {
		if strings.Contains(between, w) {
			found = true
			break
		}
	}
	if !found {
		return Result{}, false
	}
	loc := opts.Location
	if loc == nil {
		loc = defaultLoc
	}
	d, c := all[1].Time.In(loc), all[0].Time.In(loc)
	r := all[0].Result
	r.Time = time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), c.Second(), 0, loc)
	return r, true
}

// insteadAfter picks the time a message puts "instead" after: "can't make
// it tmr, can we do thurs instead?".
func insteadAfter(text string, all []Scored) (Result, bool) {
	if len(all) < 2 {
		return Result{}, false
	}
	for _, s := range all {
		rest := strings.ToLower(strings.TrimLeft(text[s.Stop:], " ,"))
		if strings.HasPrefix(rest, "instead") && !strings.HasPrefix(rest, "instead of") {
			return s.Result, true
		}
	}
	return Result{}, false
}

// joinSplit puts a day and a clock written apart back together: "tomorrow
// ... between 3 and 5 pm", "petang esok ... dlm 5.30". The clock keeps its
// own kind and end, moved to the day.
func joinSplit(all []Scored, best int, opts Options) Result {
	r := all[best].Result
	if len(all) != 2 {
		return r
	}
	day, clock := all[0], all[1]
	if all[0].clockOnly {
		day, clock = all[1], all[0]
	}
	if !day.dayOnly || !clock.clockOnly || day.Kind != Instant {
		return r
	}
	loc := opts.Location
	if loc == nil {
		loc = defaultLoc
	}
	d, c := day.Time.In(loc), clock.Time.In(loc)
	at := func(t time.Time) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
	}
	out := clock.Result
	out.Time = at(c)
	if !out.End.IsZero() {
		out.End = out.Time.Add(clock.End.Sub(clock.Time))
	}
	out.Start, out.Stop = min(day.Start, clock.Start), max(day.Stop, clock.Stop)
	return out
}

// ParseAll returns every non-overlapping time expression of text, in order.
func ParseAll(text string, ref time.Time, opts Options) []Scored {
	if opts.Location == nil {
		opts.Location = defaultLoc
	}
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	p := parser{toks: lex(text), opts: opts, ref: ref.In(opts.Location), text: text}
	return p.all()
}

// Scored is a Result with how much of the phrase carried meaning; callers
// that must pick one expression prefer the higher Weight.
type Scored struct {
	Result
	Weight int
	// dayOnly: a day without a clock ("tomorrow"); clockOnly: a clock
	// without a day ("between 3 and 5 pm"), resolved on the reference day.
	dayOnly, clockOnly bool
}

func weightOf(s Scored) int { return s.Weight }

// maxInput bounds the work on hostile input; chat messages are far shorter.
const maxInput = 4096

// IsPast reports whether a reading lies before ref's day, so that it can be
// no due time ("semalam", "Isnin lepas", "last Christmas"). An interval
// counts by its end. A clock earlier on ref's own day is not past: "meeting
// at 9 today", sent at 10, still names today's meeting.
func IsPast(r Result, ref time.Time) bool {
	t := r.Time
	if r.Kind == Interval && !r.End.IsZero() {
		t = r.End.Add(-time.Nanosecond)
	}
	ry, rm, rd := ref.In(t.Location()).Date()
	return t.Before(time.Date(ry, rm, rd, 0, 0, 0, 0, t.Location()))
}
