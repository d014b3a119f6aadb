package when

// matchDate reads calendar dates: "15 Oct", "15hb Okt 2026", "Oct 15th,
// 2026", "15/10", "2/15" (by DateOrder), "2026-10-15", "October 2014",
// "tarikh 25", "the 15th", "in 2014".
func (p *parser) matchDate(k int, g *frame) (int, bool) {
	if e, ok := p.isoDate(k, g); ok {
		return e, true
	}
	if e, ok := p.numericDate(k, g); ok {
		return e, true
	}
	if e, ok := p.dayMonth(k, g); ok {
		return e, true
	}
	if e, ok := p.monthDay(k, g); ok {
		return e, true
	}
	return p.dayOnly(k, g)
}

func validYMD(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	if y == 0 {
		return d <= [...]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isDateSep(s string) bool { return s == "/" || s == "-" || s == "." }

// isoDate reads year-first dates: 2015-03-03, 2014/12/28, 2012/Aug/10,
// 2014-10 (a month), 2024 August.
func (p *parser) isoDate(k int, g *frame) (int, bool) {
	y, ok := p.num(k)
	if !ok || p.toks[k].digits != 4 {
		return k, false
	}
	n := k + 1
	sep := p.tokText(n)
	if isDateSep(sep) && p.glued(n) {
		if m, ok := p.num(n + 1); ok && p.glued(n+1) {
			if p.sym(n+2, sep) {
				d, ok := p.num(n + 3)
				if !ok {
					return k, false
				}
				if m > 12 && d <= 12 {
					m, d = d, m
				}
				if !validYMD(y, m, d) {
					return k, false
				}
				g.hasDate, g.y, g.m, g.d = true, y, m, d
				return p.isoTime(n+4, g), true
			}
			if m >= 1 && m <= 12 && p.toks[n+1].digits <= 2 && !p.num2(n+2) {
				g.hasDate, g.y, g.m = true, y, m
				return n + 2, true
			}
			return k, false
		}
		if mw, ok := monthWords[p.word(n+1)]; ok {
			g.hasDate, g.y, g.m = true, y, int(mw)
			e := n + 2
			if p.sym(e, sep) {
				if d, ok := p.num(e + 1); ok && validYMD(y, int(mw), d) {
					g.d = d
					return e + 2, true
				}
			}
			return e, true
		}
	}
	if m, ok := p.num(n); ok && p.toks[n].digits <= 2 {
		if d, ok := p.num(n + 1); ok && p.toks[n+1].digits <= 2 && validYMD(y, m, d) && k == 0 {
			g.hasDate, g.y, g.m, g.d = true, y, m, d // "2014 12 28"
			return n + 2, true
		}
	}
	e := n
	if p.isWord(e, "ad", "ce") {
		e++
	}
	if mw, ok := monthWords[p.word(e)]; ok && y >= 1000 {
		g.hasDate, g.y, g.m = true, y, int(mw)
		e++
		if d, ok := p.num(e); ok && validYMD(y, int(mw), d) {
			g.d = d
			e++
		}
		return e, true
	}
	return k, false
}

// isoTime reads a "T13:15:30" or " 17:00:00" right after an ISO date.
func (p *parser) isoTime(n int, g *frame) int {
	j := n
	if p.isWord(j, "t") && p.glued(j) {
		j++
	}
	if h, ok := p.num(j); ok && p.sym(j+1, ":") && p.glued(j+1) {
		if m, ok := p.num(j + 2); ok && h < 24 && m < 60 {
			g.hasTime, g.hour, g.min, g.minGiven = true, h, m, true
			j += 3
			if p.sym(j, ":") {
				if s, ok := p.num(j + 1); ok && s < 60 {
					g.sec, g.secGiven = s, true
					j += 2
				}
			}
			return j
		}
	}
	return n
}

func expandYear(y, digits int) int {
	if digits == 2 {
		if y < 50 {
			return 2000 + y
		}
		return 1900 + y
	}
	return y
}

// numericDate reads 15/10, 15/10/2026, 10-31-74, 31.10.1974, 2/2013, 2 / 15.
func (p *parser) numericDate(k int, g *frame) (int, bool) {
	a, ok := p.num(k)
	if !ok || p.toks[k].digits > 2 {
		return k, false
	}
	n := k + 1
	if e, ok := p.spacedDate(k, a, g); ok {
		return e, true
	}
	sep := p.tokText(n)
	if !isDateSep(sep) {
		return k, false
	}
	spaced := !p.glued(n)
	b, ok := p.num(n + 1)
	if !ok || p.glued(n+1) == spaced {
		return k, false
	}
	e := n + 2
	y, hasY := 0, false
	if p.sym(e, sep) && p.glued(e) == !spaced {
		if c, ok := p.num(e + 1); ok && (p.toks[e+1].digits == 2 || p.toks[e+1].digits == 4) {
			y, hasY = expandYear(c, p.toks[e+1].digits), true
			e += 2
		}
	} else if p.toks[n+1].digits == 4 && sep == "/" {
		if a >= 1 && a <= 12 {
			g.hasDate, g.y, g.m = true, b, a // "2/2013", "09/2012"
			return e, true
		}
		return k, false
	}
	if p.toks[n+1].digits > 2 {
		return k, false
	}
	if !hasY {
		// two-part dates: "/" anywhere; "-" only where a date is expected
		if sep == "." || p.num2(e) {
			return k, false
		}
		if p.sym(e, ".") && p.glued(e) && p.num2(e+1) && p.glued(e+1) {
			return k, false // a ratio or a score ("30/4.85"), not 30 April
		}
		if sep == "-" && !(k == 0 && e == len(p.toks)) && !p.isWord(k-1, "on", "tarikh", "date", "pada", "tgl") {
			return k, false
		}
		if v, _ := p.ampmAt(e); v != 0 {
			return k, false
		}
		if p.isWord(e, "h", "hour", "hours", "hr", "hrs") {
			return k, false // "1/2h"
		}
	}
	m, d := a, b
	switch {
	case a > 12 && b <= 12:
		m, d = b, a
	case b > 12 && a <= 12:
	case p.opts.DateOrder == DMY:
		m, d = b, a
	}
	if !validYMD(y, m, d) {
		return k, false
	}
	g.hasDate, g.y, g.m, g.d = true, y, m, d
	return e, true
}

// ordinalAt reads a day number: "15", "15th", "15hb", "fifteenth", "first".
func (p *parser) ordinalAt(k int) (int, int, bool) {
	if v, ok := p.num(k); ok && p.toks[k].digits <= 2 && v >= 1 && v <= 31 {
		return v, p.skipOrdinalSuffix(k + 1), true
	}
	w := p.word(k)
	if v, ok := ordinalWords[w]; ok {
		return v, k + 1, true
	}
	if w == "twenty" || w == "thirty" {
		n := k + 1
		if p.sym(n, "-") {
			n++
		}
		if v, ok := ordinalWords[p.word(n)]; ok && v < 10 {
			base := 20
			if w == "thirty" {
				base = 30
			}
			return base + v, n + 1, true
		}
	}
	return 0, k, false
}

// yearAfter reads an optional year after a day and month: ", 2016", " 82".
func (p *parser) yearAfter(e int, g *frame) int {
	n := e
	if p.sym(n, ",") || (p.sym(n, "/") || p.sym(n, "-")) && p.glued(n) {
		n++
	}
	y, ok := p.num(n)
	if !ok {
		return e
	}
	dg := p.toks[n].digits
	if p.sym(n+1, ":") || p.sym(n+1, ".") && p.num2(n+2) {
		return e // a clock, "5 May 12:00"
	}
	if v, _ := p.ampmAt(n + 1); v != 0 {
		return e
	}
	if _, ok := partWords[p.word(n+1)]; ok && dg <= 2 || p.isWord(n+1, "noon", "midnight", "tengahari", "oclock", "o'clock") {
		return e // a clock, "30 Sept 12 noon", "5 Mei 8 malam"
	}
	switch {
	case dg == 4:
		g.y = y
	case dg == 2 && (g.d > 0 || y > 31):
		g.y = expandYear(y, 2)
	default:
		return e
	}
	n++
	if p.isWord(n, "ad", "ce") {
		n++
	} else if p.isWord(n, "a") && p.sym(n+1, ".") && p.isWord(n+2, "d") {
		n += 3
		if p.sym(n, ".") {
			n++
		}
	}
	return n
}

// dayMonth reads "15 Oct", "15hb Okt", "the 1st of march", "31-Oct-74",
// "14april 2015", "3 Mei", "15 of february".
func (p *parser) dayMonth(k int, g *frame) (int, bool) {
	j := k
	if p.isWord(j, "the") {
		j++
	}
	d, n, ok := p.ordinalAt(j)
	if !ok {
		return k, false
	}
	if p.isWord(n, "day") && p.isWord(n+1, "of") {
		n++
	}
	if p.isWord(n, "of") || p.sym(n, "-") || p.sym(n, "/") {
		n++
	}
	if p.isWord(n, "the") {
		n++
	}
	mw, ok := monthWords[p.word(n)]
	if ok && p.productName(n) {
		return k, false // "beli 2 Mac Pro": a computer, not 2 March
	}
	if !ok {
		return p.dayOfRelMonth(k, d, n, g)
	}
	if !validYMD(0, int(mw), d) {
		p.skipTo = n + 1 // "32 August": nothing here is a date
		return k, false
	}
	g.hasDate, g.m, g.d = true, int(mw), d
	e := p.skipDot(n + 1)
	if p.isWord(e, "next") && p.isWord(e+1, "year") {
		g.y = p.ref.Year() + 1
		return e + 2, true
	}
	return p.yearAfter(e, g), true
}

// monthDay reads "Oct 15", "February the 15th", "August-10, 2012", "march
// first", "October 2014", "in March", "Aug 96".
func (p *parser) monthDay(k int, g *frame) (int, bool) {
	if v, ok := p.num(k - 1); ok && v > 31 && p.toks[k-1].digits <= 2 {
		return k, false // "32 August"
	}
	j := k
	prep := false
	if p.isWord(j, "in", "during", "bulan", "of", "early", "mid", "late", "end") {
		prep, j = true, j+1
		if p.isWord(j, "of") {
			j++
		}
	}
	w := p.word(j)
	mw, ok := monthWords[w]
	if !ok || p.productName(j) {
		return k, false
	}
	n := p.skipDot(j + 1)
	if p.sym(n, ",") {
		n++
	}
	g.hasDate, g.m = true, int(mw)
	sepGlued := (p.sym(n, "-") || p.sym(n, "/")) && p.glued(n)
	if sepGlued {
		n++
	}
	if p.isWord(n, "the") {
		n++
	}
	if p.isWord(n, "of") && p.num2(n+1) && p.toks[n+1].digits == 4 {
		n++
	}
	if y, ok := p.num(n); ok && p.toks[n].digits == 4 {
		g.y = y
		return n + 1, true
	}
	if v, ok := p.num(n); ok && p.toks[n].digits <= 2 && !validYMD(0, int(mw), v) && (v <= 31 || !p.num2(n+1)) && !p.sym(n+1, ":") {
		if !(p.toks[n].digits == 2 && v > 31 && n+1 == len(p.toks) && p.word(j) != "august") {
			p.skipTo = p.yearAfter(n+1, g) // "June 31", "August 32"
			return k, false
		}
	}
	if d, e, ok := p.ordinalAt(n); ok && validYMD(0, int(mw), d) && !p.sym(e, ":") {
		g.d = d
		if ampm, _ := p.ampmAt(e); ampm != 0 {
			g.d = 0
			return p.monthOnly(k, j, prep, g)
		}
		if p.sym(e, "-") {
			return e, true // "July 13-15": the range reads the rest
		}
		return p.yearAfter(e, g), true
	}
	if y, ok := p.num(n); ok && p.toks[n].digits == 2 && y > 49 {
		g.y = expandYear(y, 2)
		return n + 1, true
	}
	return p.monthOnly(k, j, prep, g)
}

func (p *parser) monthOnly(k, j int, prep bool, g *frame) (int, bool) {
	w := p.word(j)
	if p.isWord(j+1, "after") && p.isWord(j+2, "next") {
		// "March after next": the March after the coming one
		y := p.ref.Year()
		if g.m <= int(p.ref.Month()) {
			y++
		}
		g.y, g.d = y+1, 0
		return j + 3, true
	}
	whole := k == 0 && j+1 >= len(p.toks)-1
	if ambiguousMonths[w] && !prep && !whole || (len(w) <= 3 && !prep && !whole && w != "oct" && w != "nov" && w != "feb" && w != "aug") {
		return k, false
	}
	if len(w) <= 3 && !prep && w != "oct" && w != "nov" && w != "feb" && w != "aug" && w != "dec" && !whole {
		return k, false
	}
	if len(w) <= 3 && whole && !prep && j+1 == len(p.toks) && w == "jan" {
		return k, false
	}
	g.d = 0
	return j + 1, true
}

// dayOnly reads a day of the month alone: "the 15th", "on the first",
// "tarikh 25", "25hb", "in 2014".
func (p *parser) dayOnly(k int, g *frame) (int, bool) {
	j := k
	marked := false
	if p.isWord(j, "tarikh", "tgl", "date") {
		marked, j = true, j+1
	}
	if p.isWord(j, "the") {
		marked, j = true, j+1
	}
	if y, ok := p.num(j); ok && j == k && p.toks[j].digits == 4 && y >= 1900 && y < 2200 && p.isWord(k-1, "since", "through", "before", "after") {
		g.hasDate, g.y = true, y // the lead word was read as "from/until"
		return j + 1, true
	}
	if p.isWord(j, "in", "since", "through", "before", "after") {
		if y, ok := p.num(j + 1); ok && p.toks[j+1].digits == 4 && y >= 1900 && y < 2200 {
			g.hasDate, g.y = true, y
			e := j + 2
			if p.isWord(e, "ad", "a") {
				e = p.yearAfterAD(e)
			}
			return e, true
		}
		return k, false
	}
	d, ok := p.num(j)
	if ok && p.toks[j].digits <= 2 && d >= 1 && d <= 31 {
		n := j + 1
		suffixed := p.isWord(n, "st", "nd", "rd", "th", "hb") && (p.glued(n) || p.word(n) == "hb")
		if suffixed {
			n++
		}
		if !marked && !suffixed {
			return k, false
		}
		if !suffixed && p.glued(n) && p.isWord(n, "am", "pm", "a", "p", "h", "hrs", "pagi", "ptg", "mlm") ||
			!suffixed && p.glued(n) && (p.sym(n, ":") || p.sym(n, ".")) && p.num2(n+1) {
			return k, false // "the 3pm call", "the 10.30 slot": a clock, not a day
		}
		_, afterWeekday := weekdayWords[p.word(k-1)]
		if !marked && p.word(n-1) != "hb" && !p.isWord(k-1, "on", "pada", "by") && !afterWeekday {
			return k, false
		}
		g.hasDate, g.d = true, d
		return n, true
	}
	if v, ok := ordinalWords[p.word(j)]; ok && marked && p.isWord(k, "the") && (p.isWord(k-1, "on") || k == 0 && j+1 == len(p.toks)) {
		g.hasDate, g.d = true, v
		return j + 1, true
	}
	return k, false
}

func (p *parser) yearAfterAD(e int) int {
	for p.isWord(e, "ad", "a", "d") || p.sym(e, ".") {
		e++
	}
	return e
}

// productWords follow "Mac" when it names a computer, not March.
var productWords = map[string]bool{"pro": true, "mini": true, "air": true, "book": true, "studio": true, "os": true}

func (p *parser) productName(k int) bool { return p.word(k) == "mac" && productWords[p.word(k+1)] }
