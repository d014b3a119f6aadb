package when

import "time"

// monthAt reads the month a rule is placed in: "october", "march 2014", "the
// month", "this month", "the current month", "next month". It returns the
// first day of that month.
func (p *parser) monthAt(k int) (time.Time, int, bool) {
	loc := p.ref.Location()
	j := k
	if p.isWord(j, "the") {
		j++
	}
	off, rel := 0, false
	switch p.word(j) {
	case "this", "current":
		rel, j = true, j+1
	case "next":
		off, rel, j = 1, true, j+1
	case "last", "previous":
		off, rel, j = -1, true, j+1
	}
	if p.isWord(j, "month") {
		first := time.Date(p.ref.Year(), p.ref.Month()+time.Month(off), 1, 0, 0, 0, 0, loc)
		return first, j + 1, true
	}
	if rel {
		return time.Time{}, k, false
	}
	m, ok := monthWords[p.word(j)]
	if !ok {
		return time.Time{}, k, false
	}
	e := p.skipDot(j + 1)
	y, e2, ok := p.yearAt(e)
	if ok {
		e = e2
	} else {
		y = p.ref.Year()
		if p.opts.Prefer == PreferFuture && m < p.ref.Month() {
			y++
		}
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, loc), e, true
}

// nthInMonth reads "third tuesday of september 2014", "last Monday of March",
// "last day of october", "fifth last day of May", "first week of october".
func (p *parser) nthInMonth(k int, g *frame) (int, bool) {
	n, j, last := 0, k, false
	if v, e, ok := p.strictOrdinal(j); ok {
		n, j = v, e
		if p.isWord(j, "last") {
			last, j = true, j+1
		}
	} else if p.isWord(j, "last") {
		n, last, j = 1, true, j+1
	} else {
		return k, false
	}
	wd, isWd := weekdayWords[p.word(j)]
	isDay, isWeek := p.isWord(j, "day"), p.isWord(j, "week")
	if !isWd && !isDay && !isWeek || !p.isWord(j+1, "of", "in") || n < 1 || n > 31 {
		return k, false
	}
	first, e, ok := p.monthAt(j + 2)
	if !ok {
		return k, false
	}
	next := first.AddDate(0, 1, 0)
	var t time.Time
	grain := Day
	switch {
	case isDay && last:
		t = next.AddDate(0, 0, -n)
	case isDay:
		t = first.AddDate(0, 0, n-1)
	case isWeek && !last:
		// the week of the month's n-th Monday
		t = first.AddDate(0, 0, (8-int(first.Weekday()))%7+7*(n-1))
		grain = Week
	case isWeek:
		// the n-th last Monday-to-Sunday week that lies wholly in the month
		t = next.AddDate(0, 0, -7-(int(next.Weekday())+6)%7-7*(n-1))
		grain = Week
	case last:
		back := (int(next.Weekday()) - int(wd) + 6) % 7
		t = next.AddDate(0, 0, -1-back-7*(n-1))
	default:
		t = first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(n-1))
	}
	if t.Month() != first.Month() {
		return k, false
	}
	g.setSpan(t, time.Time{}, grain)
	return e, true
}

// periodPart reads a part of a month, year or week as a span: "beginning of
// the month" (1st-10th), "mid March", "late March" and "end of April" (21st
// on), "beginning of 2017" (January-March), "end of 2012" (September on),
// "beginning of current week" (Monday-Wednesday), "BOM", "BOY".
func (p *parser) periodPart(k int, g *frame) (int, bool) {
	j := k
	which := ""
	switch p.word(j) {
	case "beginning", "start", "early":
		which = "begin"
	case "mid", "middle":
		which = "mid"
	case "late", "end":
		which = "end"
	case "bom":
		return p.monthPart(time.Date(p.ref.Year(), p.ref.Month(), 1, 0, 0, 0, 0, p.ref.Location()), "begin", j+1, g)
	case "boy":
		return p.yearPart(p.ref.Year(), "begin", j+1, g)
	default:
		return k, false
	}
	j++
	if p.sym(j, "-") {
		j++
	}
	if p.isWord(j, "of") {
		j++
	}
	if p.isWord(j, "the") {
		j++
	}
	if y, e, ok := p.yearAt(j); ok {
		return p.yearPart(y, which, e, g)
	}
	if (p.isWord(j, "year") || p.isWord(j, "this", "current") && p.isWord(j+1, "year")) && which != "end" {
		if !p.isWord(j, "year") {
			j++
		}
		return p.yearPart(p.ref.Year(), which, j+1, g)
	}
	if off, e, ok := p.weekOffset(j); ok && which != "mid" {
		mon := dayStart(p.ref).AddDate(0, 0, -((int(p.ref.Weekday())+6)%7)+7*off)
		if which == "begin" {
			g.setSpan(mon, mon.AddDate(0, 0, 3), Day)
		} else {
			g.setSpan(mon.AddDate(0, 0, 4), mon.AddDate(0, 0, 7), Day)
		}
		return e, true
	}
	if p.isWord(j, "month") && which != "end" {
		// "end of the month" stays the last day (matchPeriod): a due date
		return p.monthPart(time.Date(p.ref.Year(), p.ref.Month(), 1, 0, 0, 0, 0, p.ref.Location()), which, j+1, g)
	}
	if _, ok := monthWords[p.word(j)]; ok {
		if first, e, ok := p.monthAt(j); ok {
			return p.monthPart(first, which, e, g)
		}
	}
	return k, false
}

// weekOffset reads a week named from this one: "current week", "next
// week", "the following week", "around next week", "last week".
func (p *parser) weekOffset(j int) (int, int, bool) {
	if p.isWord(j, "around") {
		j++
	}
	off := 0
	switch p.word(j) {
	case "this", "current":
	case "next", "coming", "following", "upcoming":
		off = 1
	case "last", "past", "previous":
		off = -1
	default:
		return 0, j, false
	}
	if !p.isWord(j+1, "week") {
		return 0, j, false
	}
	return off, j + 2, true
}

// monthPart sets the span of the thirds of a month Duckling and people use:
// 1-10, 11-20, 21-end.
func (p *parser) monthPart(first time.Time, which string, e int, g *frame) (int, bool) {
	switch which {
	case "begin":
		g.setSpan(first, first.AddDate(0, 0, 10), Day)
	case "mid":
		g.setSpan(first.AddDate(0, 0, 10), first.AddDate(0, 0, 20), Day)
	default:
		g.setSpan(first.AddDate(0, 0, 20), first.AddDate(0, 1, 0), Day)
	}
	return e, true
}

// yearPart sets the span of the start (first quarter) or end (last four
// months) of a year.
func (p *parser) yearPart(y int, which string, e int, g *frame) (int, bool) {
	loc := p.ref.Location()
	switch which {
	case "begin":
		g.setSpan(time.Date(y, 1, 1, 0, 0, 0, 0, loc), time.Date(y, 4, 1, 0, 0, 0, 0, loc), Month)
	case "end":
		g.setSpan(time.Date(y, 9, 1, 0, 0, 0, 0, loc), time.Date(y+1, 1, 1, 0, 0, 0, 0, loc), Month)
	default:
		return e, false
	}
	return e, true
}

// wholeWeek reads "all week" (Monday to Sunday) and "rest of the week"
// (today to Sunday).
func (p *parser) wholeWeek(k int, g *frame) (int, bool) {
	today := dayStart(p.ref)
	sunday := today.AddDate(0, 0, (7-int(today.Weekday()))%7)
	switch {
	case p.isWord(k, "all") && p.isWord(k+1, "week"):
		g.setSpan(sunday.AddDate(0, 0, -6), sunday, Day)
		return k + 2, true
	case p.isWord(k, "rest") && p.isWord(k+1, "of") && p.isWord(k+2, "the") && p.isWord(k+3, "week"):
		g.setSpan(today, sunday, Day)
		return k + 4, true
	}
	return k, false
}

// monthRange reads a span of whole months: "from May to December", "dari Mei
// hingga Disember", "December to May 2022". It ends at the first day of its
// last month (Result.End at month grain); a year written at the end belongs
// to the last month, and the first month is the one before it.
func (p *parser) monthRange(k int, g *frame) (int, bool) {
	j := k
	if p.isWord(j, "from", "dari", "daripada") {
		j++
	}
	m1, ok := monthWords[p.word(j)]
	if !ok || !rangeWords[p.tokText(j+1)] || p.productName(j) {
		return k, false
	}
	m2, ok := monthWords[p.word(j+2)]
	if !ok || p.productName(j+2) {
		return k, false
	}
	e := p.skipDot(j + 3)
	loc := p.ref.Location()
	var start time.Time
	if y, e2, ok := p.yearAt(e); ok {
		y1 := y
		if m1 > m2 {
			y1--
		}
		start, e = time.Date(y1, m1, 1, 0, 0, 0, 0, loc), e2
	} else {
		start = p.monthSpanStart(m1, m2)
	}
	g.setSpan(start, spanEnd(start, m2), Month)
	return e, true
}

// spanEnd is the first day of month m2 on or after start.
func spanEnd(start time.Time, m2 time.Month) time.Time {
	end := time.Date(start.Year(), m2, 1, 0, 0, 0, 0, start.Location())
	if end.Before(start) {
		end = end.AddDate(1, 0, 0)
	}
	return end
}

// monthSpanStart picks the year of a yearless span of months: the next one
// to start, or with PreferNearest the one that holds the reference, else
// the one that starts nearest to it.
func (p *parser) monthSpanStart(m1, m2 time.Month) time.Time {
	loc := p.ref.Location()
	this := time.Date(p.ref.Year(), p.ref.Month(), 1, 0, 0, 0, 0, loc)
	if p.opts.Prefer == PreferFuture {
		y := p.ref.Year()
		if m1 < p.ref.Month() {
			y++
		}
		return time.Date(y, m1, 1, 0, 0, 0, 0, loc)
	}
	best := time.Time{}
	for y := p.ref.Year() - 1; y <= p.ref.Year()+1; y++ {
		s := time.Date(y, m1, 1, 0, 0, 0, 0, loc)
		if !this.Before(s) && !spanEnd(s, m2).Before(this) {
			return s // the span holds the reference month
		}
		if best.IsZero() || absDays(s, this) < absDays(best, this) {
			best = s
		}
	}
	return best
}

func absDays(a, b time.Time) time.Duration {
	if d := a.Sub(b); d > 0 {
		return d
	}
	return b.Sub(a)
}
