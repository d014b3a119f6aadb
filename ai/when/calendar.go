package when

import "time"

// matchCalendar reads days and spans placed inside a month, quarter or year
// by rule rather than by number: "third tuesday of october", "last day of
// May", "3rd qtr 2018", "this summer", "mid March", "beginning of the year".
// It resolves them at once, since they need the reference to pick the month.
func (p *parser) matchCalendar(k int, g *frame) (int, bool) {
	j := k
	if p.isWord(j, "the") {
		j++
	}
	for _, m := range calendarMatchers {
		if e, ok := m(p, j, g); ok {
			return e, true
		}
	}
	return k, false
}

var calendarMatchers = []func(p *parser, k int, g *frame) (int, bool){
	(*parser).monthRange,
	(*parser).quarterAt,
	(*parser).seasonAt,
	(*parser).nthInMonth,
	(*parser).periodPart,
	(*parser).wholeWeek,
	(*parser).ides,
	(*parser).holidayAt,
}

// ides reads "the ides of March": the 15th of March, May, July and October,
// the 13th of other months, as the Roman calendar counted.
func (p *parser) ides(k int, g *frame) (int, bool) {
	if !p.isWord(k, "ides") || !p.isWord(k+1, "of") {
		return k, false
	}
	first, e, ok := p.monthAt(k + 2)
	if !ok {
		return k, false
	}
	d := 13
	switch first.Month() {
	case time.March, time.May, time.July, time.October:
		d = 15
	}
	g.setSpan(first.AddDate(0, 0, d-1), time.Time{}, Day)
	return e, true
}

// setSpan records a resolved span; end is zero for a single day or period.
func (g *frame) setSpan(t, end time.Time, grain Grain) {
	g.hasSpan, g.spanT, g.spanEnd, g.spanG = true, t, end, grain
}

// strictOrdinal reads an ordinal that cannot be a count: "third", "3rd".
func (p *parser) strictOrdinal(k int) (int, int, bool) {
	if v, ok := ordinalWords[p.word(k)]; ok {
		return v, k + 1, true
	}
	if v, ok := p.num(k); ok && p.toks[k].digits <= 2 && p.glued(k+1) && p.isWord(k+1, "st", "nd", "rd", "th") {
		return v, k + 2, true
	}
	return 0, k, false
}

// yearAt reads a four-digit year, optionally after "of" or "in".
func (p *parser) yearAt(k int) (int, int, bool) {
	j := k
	if p.isWord(j, "of", "in") || p.sym(j, ",") {
		j++
	}
	if y, ok := p.num(j); ok && p.toks[j].digits == 4 && y >= 1900 && y < 2200 {
		return y, j + 1, true
	}
	return 0, k, false
}

// spelledYear reads a year in words, as voice typing writes it: "two
// thousand ten", "two thousand and nineteen", "twenty twenty six", "nineteen
// ninety-nine".
func (p *parser) spelledYear(k int) (int, int, bool) {
	j := k
	if p.isWord(j, "of", "in") {
		j++
	}
	if p.isWord(j, "two") && p.isWord(j+1, "thousand") {
		e := j + 2
		if p.isWord(e, "and") {
			e++
		}
		if v, e2, ok := p.smallNumberWords(e); ok && v < 100 {
			return 2000 + v, e2, true
		}
		return 2000, e, true
	}
	c, ok := numberWords[p.word(j)]
	if !ok || c != 19 && c != 20 {
		return 0, k, false
	}
	if v, e, ok := p.smallNumberWords(j + 1); ok && v >= 10 && v < 100 {
		return c*100 + v, e, true
	}
	return 0, k, false
}

// smallNumberWords reads 1-99 in words: "ten", "nineteen", "twenty-six",
// "twenty six".
func (p *parser) smallNumberWords(k int) (int, int, bool) {
	v, ok := numberWords[p.word(k)]
	if !ok || v < 1 || v > 90 || p.isWord(k, "a", "an") {
		return 0, k, false
	}
	e := k + 1
	if v >= 20 && v%10 == 0 {
		n := e
		if p.sym(n, "-") {
			n++
		}
		if u, ok := numberWords[p.word(n)]; ok && u >= 1 && u <= 9 && !p.isWord(n, "a", "an") {
			return v + u, n + 1, true
		}
	}
	return v, e, true
}

// quarterAt reads "3rd quarter", "third qtr of 2018", "2018Q4", "18q4".
func (p *parser) quarterAt(k int, g *frame) (int, bool) {
	y, q, e := 0, 0, k
	if v, n, ok := p.strictOrdinal(k); ok && p.isWord(n, "quarter", "qtr") {
		q, e = v, n+1
		if yy, n2, ok := p.yearAt(e); ok {
			y, e = yy, n2
		} else if p.isWord(e, "of") {
			return k, false // "the 3rd quarter of the match"
		}
	} else if v, ok := p.num(k); ok && (p.toks[k].digits == 2 || p.toks[k].digits == 4) &&
		p.glued(k+1) && p.isWord(k+1, "q") && p.glued(k+2) && p.num2(k+2) {
		y, q, e = expandYear(v, p.toks[k].digits), p.toks[k+2].num, k+3
	} else {
		return k, false
	}
	if q < 1 || q > 4 {
		return k, false
	}
	if y == 0 {
		y = p.ref.Year()
	}
	loc := p.ref.Location()
	t := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, loc)
	g.setSpan(t, time.Time{}, Quarter)
	return e, true
}

// seasonStarts are the usual northern astronomical dates (month, day),
// spring first.
var seasonStarts = [4][2]int{{3, 20}, {6, 21}, {9, 23}, {12, 21}}

var seasonWords = map[string]int{"spring": 0, "summer": 1, "fall": 2, "autumn": 2, "winter": 3, "season": -1, "seasons": -1}

// seasonAt reads "this summer", "next season", "last winter". A bare season
// word is no time ("spring cleaning", "fall behind"), so a modifier is needed.
func (p *parser) seasonAt(k int, g *frame) (int, bool) {
	off := 0
	switch p.word(k) {
	case "this", "current":
	case "next", "coming", "upcoming":
		off = 1
	case "last", "past", "previous":
		off = -1
	default:
		return k, false
	}
	s, ok := seasonWords[p.word(k+1)]
	if !ok {
		return k, false
	}
	start := p.seasonStart(s, off)
	end := p.seasonStart(-1, 1)
	if s >= 0 || off != 0 {
		end = seasonAfter(start)
	}
	g.setSpan(start, end, Day)
	return k + 2, true
}

// seasonStart finds the start of season s (-1: any) relative to the one in
// progress: off 0 is the current or, for a named season, the coming one.
func (p *parser) seasonStart(s, off int) time.Time {
	loc := p.ref.Location()
	today := dayStart(p.ref)
	// the latest season start on or before today
	cur := time.Date(today.Year()-1, 12, 21, 0, 0, 0, 0, loc)
	for y := today.Year() - 1; y <= today.Year(); y++ {
		for _, md := range seasonStarts {
			t := time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, loc)
			if !t.After(today) {
				cur = t
			}
		}
	}
	t := cur
	if s < 0 {
		for ; off > 0; off-- {
			t = seasonAfter(t)
		}
		for ; off < 0; off++ {
			t = seasonBefore(t)
		}
		return t
	}
	for seasonIndex(t) != s || off > 0 && !t.After(today) {
		t = seasonAfter(t)
	}
	if off < 0 {
		t = t.AddDate(-1, 0, 0)
	}
	return t
}

func seasonIndex(t time.Time) int {
	for i, md := range seasonStarts {
		if int(t.Month()) == md[0] {
			return i
		}
	}
	return 0
}

func seasonAfter(t time.Time) time.Time {
	i := (seasonIndex(t) + 1) % 4
	y := t.Year()
	if i == 0 {
		y++
	}
	return time.Date(y, time.Month(seasonStarts[i][0]), seasonStarts[i][1], 0, 0, 0, 0, t.Location())
}

func seasonBefore(t time.Time) time.Time {
	i := (seasonIndex(t) + 3) % 4
	y := t.Year()
	if i == 3 {
		y--
	}
	return time.Date(y, time.Month(seasonStarts[i][0]), seasonStarts[i][1], 0, 0, 0, 0, t.Location())
}
