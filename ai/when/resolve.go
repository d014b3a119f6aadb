package when

import (
	"math"
	"time"
)

func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func addDur(t time.Time, d dur, sign int) time.Time {
	n := d.n * float64(sign)
	whole := int(n)
	frac := n - float64(whole)
	switch d.u {
	case uSecond:
		return t.Add(time.Duration(n * float64(time.Second)))
	case uMinute:
		return t.Add(time.Duration(n * float64(time.Minute)))
	case uHour:
		return t.Add(time.Duration(n * float64(time.Hour)))
	case uDay:
		return t.AddDate(0, 0, whole).Add(time.Duration(frac * 24 * float64(time.Hour)))
	case uWeek:
		return t.AddDate(0, 0, 7*whole).Add(time.Duration(frac * 7 * 24 * float64(time.Hour)))
	case uMonth:
		return t.AddDate(0, whole, int(math.Round(frac*30)))
	case uQuarter:
		return t.AddDate(0, 3*whole, int(math.Round(frac*91)))
	case uYear:
		return t.AddDate(whole, int(math.Round(frac*12)), 0)
	}
	return t
}

func unitGrain(u unit) Grain {
	switch u {
	case uSecond:
		return Second
	case uMinute:
		return Minute
	case uHour:
		return Hour
	case uDay:
		return Day
	case uWeek:
		return Week
	case uMonth:
		return Month
	case uQuarter:
		return Quarter
	}
	return Year
}

// hour24 turns a clock reading into a 24-hour hour using am/pm and the part
// of the day. A bare hour follows chat habit: 1-6 is afternoon, 7-11 morning.
func hour24(f *frame) (h int, nextDay bool) {
	h = f.hour
	switch {
	case f.ampm == 1:
		if h == 12 {
			h = 0
		}
		return h, false
	case f.ampm == 2:
		if h < 12 {
			h += 12
		}
		return h, false
	}
	switch f.part {
	case partEarly:
		if h == 12 {
			return 0, false
		}
		return h, false
	case partMorning:
		if h == 12 {
			return 0, false
		}
		return h, false
	case partNoon:
		if h >= 1 && h <= 5 {
			h += 12
		}
		return h, false
	case partAfternoon, partEvening:
		if h < 12 {
			h += 12
		}
		return h, false
	case partNight:
		switch {
		case h == 12:
			return 0, true
		case h <= 4:
			return h, true
		case h < 12:
			return h + 12, false
		}
		return h, false
	case partMidnight:
		if h == 12 {
			h = 0
		}
		return h, h == 0
	}
	if h >= 1 && h <= 6 && !f.padded {
		return h + 12, false
	}
	return h, false
}

func (p *parser) resolve(f *frame) (Result, bool) {
	ref := p.ref
	loc := ref.Location()
	r := Result{Kind: f.kind}
	var t time.Time
	grain := Day
	dayKnown := true
	switch {
	case f.hasDur && f.wdCount != 0 && f.wd >= 0:
		t = p.nthWeekday(f)
	case f.hasDur:
		base := ref
		if (f.hasRelDay && f.relDay != 0 || f.wd >= 0 || f.hasDate || f.hasSpan) && f.durs[0].u >= uDay {
			g := *f
			g.hasDur = false
			b, ok := p.resolve(&g)
			if !ok {
				return r, false
			}
			base = b.Time
		}
		t = base
		grain = Year
		for _, d := range f.durs {
			t = addDur(t, d, f.durSign)
			if ug := unitGrain(d.u); ug < grain {
				grain = ug
			}
		}
		if grain >= Day && f.hasTime {
			h, _ := hour24(f)
			t = time.Date(t.Year(), t.Month(), t.Day(), h, f.min, f.sec, 0, loc)
			grain = clockGrain(f)
		}
		r.Time, r.Grain = t, grain
		return r, true
	case f.hasSpan:
		if !f.hasTime && f.part == partNone {
			r.Time, r.End, r.Grain = f.spanT, f.spanEnd, f.spanG
			if !f.spanEnd.IsZero() {
				r.Kind = Interval
			}
			return r, true
		}
		t = f.spanT
	case f.hasDate:
		var ok bool
		t, grain, ok = p.resolveDate(f)
		if !ok {
			return r, false
		}
		if f.wd >= 0 && grain == Day && f.y == 0 && p.opts.Prefer == PreferFuture {
			t = p.matchWeekdayOfDate(f, t)
		}
	case f.wd >= 0:
		t = p.resolveWeekday(f)
	case f.hasRelDay:
		t = dayStart(ref).AddDate(0, 0, f.relDay)
		if f.wdCount != 0 {
			t = p.workingDay(f.wdCount / 100)
		}
	case f.hasPer:
		t, grain = p.resolvePeriod(f)
		if !f.hasTime && f.part == partNone {
			r.Time, r.Grain = t, grain
			return r, true
		}
		t = dayStart(t)
	case f.now:
		r.Time, r.Grain = ref, Second
		return r, true
	default:
		dayKnown = false
		t = dayStart(ref)
	}
	switch {
	case f.hasTime:
		h, next := hour24(f)
		if h > 23 {
			h, next = 0, true
		}
		t = clockIn(f, t, h, loc)
		if next {
			t = t.AddDate(0, 0, 1)
		}
		grain = clockGrain(f)
		if !dayKnown && t.Before(ref) && !next {
			t = t.AddDate(0, 0, 1)
		}
	case f.prayer != noPrayer:
		pt, ok := prayerTime(f.prayer, t, p.place(), loc)
		if !ok {
			return r, false
		}
		if !dayKnown && pt.Before(ref) {
			pt, _ = prayerTime(f.prayer, t.AddDate(0, 0, 1), p.place(), loc)
		}
		t, grain = pt, Minute
	case f.part != partNone:
		t = time.Date(t.Year(), t.Month(), t.Day(), defaultHour[f.part], 0, 0, 0, loc)
		if f.part == partMidnight {
			t = t.AddDate(0, 0, 1)
		}
		grain = Hour
	}
	r.Time, r.Grain = t, grain
	return r, true
}

func clockGrain(f *frame) Grain {
	switch {
	case f.secGiven:
		return Second
	case f.minGiven:
		return Minute
	}
	return Hour
}

// resolveDate fills a missing year (or month) by the preference: the next
// occurrence, or the nearest one.
func (p *parser) resolveDate(f *frame) (time.Time, Grain, bool) {
	ref := p.ref
	loc := ref.Location()
	today := dayStart(ref)
	y, m, d := f.y, f.m, f.d
	grain := Day
	switch {
	case m == 0 && d == 0: // a year
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc), Year, y > 0
	case d == 0:
		grain = Month
		if y == 0 {
			y = ref.Year()
			c := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc)
			if p.opts.Prefer == PreferFuture && time.Month(m) < ref.Month() {
				y++
			} else if p.opts.Prefer == PreferNearest {
				y = nearestYear(c, ref)
			}
		}
		return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc), grain, true
	case m == 0: // day of month only
		y, m = ref.Year(), int(ref.Month())
		if d < ref.Day() {
			m++
			if m > 12 {
				m, y = 1, y+1
			}
		}
		for i := 0; i < 3 && d > daysIn(y, m); i++ {
			m++
			if m > 12 {
				m, y = 1, y+1
			}
		}
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), grain, true
	}
	if y == 0 {
		y = ref.Year()
		c := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
		if p.opts.Prefer == PreferNearest {
			y = nearestYear(c, ref)
		} else if c.Before(today) {
			y++
		}
		// A day without a year falls in the coming twelve months: "29
		// February" written in a year whose February has 28 days is a slip,
		// not a day years away.
	}
	if !validYMD(y, m, d) {
		return time.Time{}, grain, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), grain, true
}

func nearestYear(c, ref time.Time) int {
	best, bestDiff := c.Year(), time.Duration(math.MaxInt64)
	for _, dy := range []int{-1, 0, 1} {
		t := c.AddDate(dy, 0, 0)
		diff := t.Sub(ref)
		if diff < 0 {
			diff = -diff
		}
		if diff < bestDiff {
			best, bestDiff = t.Year(), diff
		}
	}
	return best
}

func (p *parser) resolveWeekday(f *frame) time.Time {
	today := dayStart(p.ref)
	cur := int(today.Weekday())
	ahead := (f.wd - cur + 7) % 7
	switch f.wdMod {
	case wdThis:
		if f.wdCount == -1 {
			// the day of this Monday-based week
			mon := today.AddDate(0, 0, -((cur + 6) % 7))
			return mon.AddDate(0, 0, (f.wd+6)%7)
		}
		return today.AddDate(0, 0, ahead)
	case wdNext:
		mon := today.AddDate(0, 0, -((cur+6)%7)+7)
		return mon.AddDate(0, 0, (f.wd+6)%7)
	case wdLast:
		back := (cur - f.wd + 7) % 7
		if back == 0 {
			back = 7
		}
		return today.AddDate(0, 0, -back)
	case wdAfterNext:
		if ahead == 0 {
			ahead = 7
		}
		return today.AddDate(0, 0, ahead+7)
	}
	if p.opts.Prefer == PreferNearest {
		if ahead > 3 {
			ahead -= 7
		}
		return today.AddDate(0, 0, ahead)
	}
	if ahead == 0 {
		ahead = 7
	}
	return today.AddDate(0, 0, ahead)
}

// nthWeekday resolves "3 fridays from now" / "2 thursdays ago".
func (p *parser) nthWeekday(f *frame) time.Time {
	today := dayStart(p.ref)
	cur := int(today.Weekday())
	if f.durSign >= 0 {
		ahead := (f.wd - cur + 7) % 7
		if ahead == 0 {
			ahead = 7
		}
		return today.AddDate(0, 0, ahead+7*(f.wdCount-1))
	}
	back := (cur - f.wd + 7) % 7
	if back == 0 {
		back = 7
	}
	return today.AddDate(0, 0, -back-7*(f.wdCount-1))
}

func (p *parser) workingDay(dir int) time.Time {
	t := dayStart(p.ref)
	for {
		t = t.AddDate(0, 0, dir)
		if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday {
			return t
		}
	}
}

func (p *parser) resolvePeriod(f *frame) (time.Time, Grain) {
	ref := p.ref
	loc := ref.Location()
	today := dayStart(ref)
	switch {
	case f.perWeekend:
		cur := int(today.Weekday())
		ahead := (6 - cur + 7) % 7
		if cur == 0 {
			ahead = -1
		}
		return today.AddDate(0, 0, ahead+7*f.perN), Day
	case f.perEnd:
		switch f.per {
		case uMonth:
			first := time.Date(ref.Year(), ref.Month()+time.Month(f.perN)+1, 1, 0, 0, 0, 0, loc)
			return first.AddDate(0, 0, -1), Day
		case uYear:
			return time.Date(ref.Year()+f.perN, 12, 31, 0, 0, 0, 0, loc), Day
		case uWeek:
			cur := int(today.Weekday())
			return today.AddDate(0, 0, (5-cur+7)%7+7*f.perN), Day
		}
	}
	switch f.per {
	case uHour:
		return ref.Add(time.Duration(f.perN) * time.Hour), Hour
	case uDay:
		return ref.AddDate(0, 0, f.perN), Day
	case uWeek:
		return ref.AddDate(0, 0, 7*f.perN), Week
	case uMonth:
		if f.perN == 0 {
			return time.Date(ref.Year(), ref.Month(), 1, ref.Hour(), ref.Minute(), ref.Second(), 0, loc), Month
		}
		return ref.AddDate(0, f.perN, 0), Month
	case uQuarter:
		return ref.AddDate(0, 3*f.perN, 0), Quarter
	case uYear:
		if f.perN == 0 {
			return time.Date(ref.Year(), 1, 1, ref.Hour(), ref.Minute(), ref.Second(), 0, loc), Year
		}
		return ref.AddDate(f.perN, 0, 0), Year
	}
	return ref, Day
}
