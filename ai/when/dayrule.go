package when

import "time"

// spacedDate reads a date written with spaces and a full year: "31 10
// 1974". Without the year, two numbers are too often something else.
func (p *parser) spacedDate(k, a int, g *frame) (int, bool) {
	b, ok := p.num(k + 1)
	if !ok || p.glued(k+1) || p.toks[k+1].digits > 2 || p.glued(k+2) || !p.num2(k+2) || p.toks[k+2].digits != 4 {
		return k, false
	}
	y := p.toks[k+2].num
	if y < 1900 || y >= 2200 || p.num2(k+3) || p.num2(k-1) {
		return k, false
	}
	m, d := a, b
	if a > 12 || b <= 12 && p.opts.DateOrder == DMY {
		m, d = b, a
	}
	if !validYMD(y, m, d) {
		return k, false
	}
	g.hasDate, g.y, g.m, g.d = true, y, m, d
	return k + 3, true
}

// dayOfRelMonth reads the month of "the 20th of next month", "20 of this
// month", "20th of the current month" after the day.
func (p *parser) dayOfRelMonth(k, d, n int, g *frame) (int, bool) {
	if !p.isWord(n-1, "of", "the") || !p.isWord(n, "this", "current", "next", "previous", "last", "month") {
		return k, false
	}
	first, e, ok := p.monthAt(n)
	if !ok || !validYMD(first.Year(), int(first.Month()), d) {
		return k, false
	}
	g.hasDate, g.y, g.m, g.d = true, first.Year(), int(first.Month()), d
	return e, true
}

// matchWeekdayOfDate moves a date given with a weekday but no year to the
// next occurrence on that weekday: "Fri, Jul 18" is the 18 July that falls
// on a Friday, "Thu 15th" the next 15th that is a Thursday. A written
// weekday that matches this year's date keeps it, even if just past. The
// search stays within a year: further off, the weekday is more likely a typo.
func (p *parser) matchWeekdayOfDate(f *frame, t time.Time) time.Time {
	if int(t.Weekday()) == f.wd {
		return t
	}
	loc := t.Location()
	if f.m == 0 {
		c := t
		for i := 0; i < 12; i++ {
			c = time.Date(c.Year(), c.Month()+1, 1, 0, 0, 0, 0, loc)
			if d := time.Date(c.Year(), c.Month(), f.d, 0, 0, 0, 0, loc); d.Day() == f.d && int(d.Weekday()) == f.wd {
				return d
			}
		}
		return t
	}
	for y := p.ref.Year(); y <= p.ref.Year()+1; y++ {
		if !validYMD(y, f.m, f.d) {
			continue
		}
		if d := time.Date(y, time.Month(f.m), f.d, 0, 0, 0, 0, loc); int(d.Weekday()) == f.wd {
			return d
		}
	}
	return t
}
