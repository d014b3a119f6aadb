package when

// quantityAt reads the count before a unit: "2", "2.5", "1/2", "a", "an",
// "a couple of", "few", "half an", "tiga", "three-quarters of an".
func (p *parser) quantityAt(k int) (float64, int, bool) {
	if v, ok := p.num(k); ok {
		n := k + 1
		f := float64(v)
		if p.sym(n, ".") && p.glued(n) && p.num2(n+1) && p.glued(n+1) {
			frac := p.toks[n+1]
			div := 1.0
			for i := 0; i < frac.digits; i++ {
				div *= 10
			}
			f += float64(frac.num) / div
			n += 2
		} else if p.sym(n, "/") && p.glued(n) && p.num2(n+1) && p.glued(n+1) && p.toks[n+1].num > 0 {
			f /= float64(p.toks[n+1].num)
			n += 2
		}
		if p.isWord(n, "and") && p.isWord(n+1, "an", "a") && p.isWord(n+2, "half") {
			f += 0.5
			n += 3
		}
		return f, n, true
	}
	w := p.word(k)
	switch w {
	case "half":
		n := k + 1
		if p.isWord(n, "an", "a") {
			n++
		}
		return 0.5, n, true
	case "quarter":
		n := k + 1
		if p.isWord(n, "of") {
			n++
		}
		if p.isWord(n, "an", "a") {
			n++
		}
		return 0.25, n, true
	case "three":
		if p.sym(k+1, "-") && p.isWord(k+2, "quarters") {
			n := k + 3
			if p.isWord(n, "of") {
				n++
			}
			if p.isWord(n, "an", "a") {
				n++
			}
			return 0.75, n, true
		}
	case "setengah":
		return 0.5, k + 1, true
	}
	if w == "a" && p.isWord(k+1, "quarter", "half", "couple", "pair", "few") {
		return p.quantityAt(k + 1)
	}
	if v, ok := numberWords[w]; ok {
		n := k + 1
		if p.isWord(n, "of") && (w == "couple" || w == "pair") {
			n++
		}
		if w == "dua" && p.isWord(n, "belas") {
			v, n = 12, n+1
		}
		return float64(v), n, true
	}
	return 0, k, false
}

// durationAt reads "2 hours", "1d 2hr 5min", "5 minutes and 30 seconds",
// "sejam", "a fortnight".
func (p *parser) durationAt(k int) ([]dur, int, bool) {
	var out []dur
	n := k
	for {
		if u, ok := seUnitWords[p.word(n)]; ok {
			out = append(out, dur{1, u})
			n++
		} else if p.isWord(n, "fortnight") || p.isWord(n, "a") && p.isWord(n+1, "fortnight") {
			if p.word(n) == "a" {
				n++
			}
			out = append(out, dur{2, uWeek})
			n++
		} else {
			q, e, ok := p.quantityAt(n)
			if !ok {
				break
			}
			if p.isWord(e, "more") {
				e++
			}
			u, ok := unitWords[p.word(e)]
			if !ok {
				u, ok = primeUnit(p, e)
			}
			if !ok {
				break
			}
			out = append(out, dur{q, u})
			n = e + 1
		}
		j := n
		if p.sym(j, ",") {
			j++
		}
		if p.isWord(j, "and", "dan") {
			j++
		}
		if _, _, ok := p.quantityAt(j); !ok {
			break
		}
		if _, ok := seUnitWords[p.word(j)]; ok {
			n = j
			continue
		}
		if q, e, ok := p.quantityAt(j); ok && q > 0 {
			if p.isWord(e, "more") {
				e++
			}
			if _, ok := unitWords[p.word(e)]; !ok {
				break
			}
		}
		n = j
	}
	if len(out) == 0 {
		return nil, k, false
	}
	return out, n, true
}

// primeUnit reads the prime marks glued to a number: 15' is minutes, 15" seconds.
func primeUnit(p *parser, e int) (unit, bool) {
	switch {
	case !p.glued(e):
		return uNone, false
	case p.sym(e, "'") || p.sym(e, "’"):
		return uMinute, true
	case p.sym(e, "\""):
		return uSecond, true
	}
	return uNone, false
}

var durLead = map[string]bool{"in": true, "within": true, "dalam": true, "dlm": true, "after": true, "selepas": true, "lepas": true, "wait": true, "give": true, "timer": true, "dalamm": true}

// matchDuration reads a time counted from now: "in 2 hours", "dalam 2 jam",
// "3 hari lagi", "2 days ago", "10 minit lagi", "+15min", "3 fridays from now".
func (p *parser) matchDuration(k int, g *frame) (int, bool) {
	j := k
	sign := 0
	lead := p.word(j)
	switch {
	case durLead[lead]:
		if p.isWord(k-1, "kali", "times") {
			return k, false // "tiga kali dalam seminggu" is a frequency
		}
		sign, j = 1, j+1
		switch lead {
		case "wait":
			if !p.isWord(j, "for") {
				return k, false
			}
			j++
		case "give":
			if !p.isWord(j, "it") {
				return k, false
			}
			j++
		case "timer":
			if !p.isWord(j, "for") {
				return k, false
			}
			j++
		}
		if p.isWord(j, "about", "around", "approximately", "lebih", "kurang", "masa") || p.sym(j, "~") {
			j++
		}
		if p.isWord(j, "about", "around") || p.sym(j, "~") {
			j++
		}
	case p.sym(j, "+") && p.glued(j+1):
		sign, j = 1, j+1
	case p.sym(j, "-") && p.glued(j+1) && (k == 0 || !p.num2(k-1)):
		sign, j = -1, j+1
	}
	// "3 fridays from now", "2 thursdays ago"
	if q, e, ok := p.quantityAt(j); ok && sign == 0 {
		w := p.word(e)
		if len(w) > 1 && w[len(w)-1] == 's' {
			if wd, ok := weekdayWords[w[:len(w)-1]]; ok {
				if s, e2, ok := p.durSuffix(e + 1); ok {
					g.hasDur, g.durSign, g.wdCount, g.wd = true, s, int(q), int(wd)
					g.durs = []dur{{0, uDay}}
					return e2, true
				}
			}
		}
	}
	ds, e, ok := p.durationAt(j)
	if !ok {
		return k, false
	}
	if s, e2, ok := p.durSuffix(e); ok {
		if sign == 0 || s == -1 {
			sign = s
		}
		e = e2
	} else if sign == 0 {
		return k, false
	}
	if lead == "selepas" || lead == "lepas" || lead == "after" {
		if len(ds) == 1 && ds[0].u == uHour && p.isWord(j, "jam") {
			return k, false
		}
	}
	g.hasDur, g.durs, g.durSign = true, ds, sign
	return e, true
}

// durSuffix reads what turns a duration into a time: "from now", "ago",
// "lagi", "later", "hence", "yang lalu".
func (p *parser) durSuffix(e int) (int, int, bool) {
	w := p.word(e)
	switch w {
	case "ago", "back", "earlier", "lalu", "sudah", "tadi":
		return -1, e + 1, true
	case "before":
		if isRelDay(p.word(e+1)) && !p.isWord(e+1, "today") {
			return -1, e + 1, true
		}
		if p.isWord(e+1, "today", "now") {
			return -1, e + 2, true
		}
		if e+1 == len(p.toks) {
			return -1, e + 1, true
		}
	case "yang":
		if p.isWord(e+1, "lalu", "lepas") {
			return -1, e + 2, true
		}
	case "hence", "later", "lagi", "kemudian", "out":
		return 1, e + 1, true
	case "from", "after":
		if w == "after" && isRelDay(p.word(e+1)) {
			return 1, e + 1, true // "2 days after tomorrow": the day merges next
		}
		if p.isWord(e+1, "now", "today") {
			return 1, e + 2, true
		}
		if p.isWord(e+1, "right") && p.isWord(e+2, "now") {
			return 1, e + 3, true
		}
		if w == "after" && e+1 == len(p.toks) {
			return 1, e + 1, true
		}
	case "dari":
		if p.isWord(e+1, "sekarang", "skrg") {
			return 1, e + 2, true
		}
	}
	return 0, e, false
}

var perUnits = map[string]unit{
	"week": uWeek, "wk": uWeek, "month": uMonth, "year": uYear, "yr": uYear, "quarter": uQuarter, "qtr": uQuarter,
	"hour": uHour, "day": uDay, "minggu": uWeek, "bulan": uMonth, "tahun": uYear, "weekend": uWeek, "week-end": uWeek,
}

// matchPeriod reads weeks, months and years named from now: "next week",
// "minggu depan", "bulan depan", "this weekend", "hujung minggu", "last
// month", "end of the month", "EOD".
func (p *parser) matchPeriod(k int, g *frame) (int, bool) {
	j := k
	if p.isWord(j, "by") && p.isWord(j+1, "the", "eod", "eom", "eoy", "end") {
		j++
	}
	if p.isWord(j, "the") {
		j++
	}
	switch p.word(j) {
	case "eod", "cob":
		g.hasRelDay, g.relDay, g.hasTime, g.hour = true, 0, true, 17
		return j + 1, true
	case "eom":
		g.hasPer, g.per, g.perEnd = true, uMonth, true
		return j + 1, true
	case "eoy":
		g.hasPer, g.per, g.perEnd = true, uYear, true
		return j + 1, true
	case "end", "hujung", "akhir", "penghujung":
		n := j + 1
		if p.isWord(n, "of") {
			n++
		}
		if p.isWord(n, "the") {
			n++
		}
		if p.word(j) == "hujung" && p.isWord(n, "minggu") {
			g.hasPer, g.per, g.perWeekend = true, uWeek, true
			n++
			return p.periodOffset(n, g), true
		}
		if p.isWord(n, "day") {
			g.hasRelDay, g.relDay, g.hasTime, g.hour = true, 0, true, 17
			return n + 1, true
		}
		if u, ok := perUnits[p.word(n)]; ok && (u == uMonth || u == uWeek || u == uYear) {
			g.hasPer, g.per, g.perEnd = true, u, true
			return p.periodOffset(n+1, g), true
		}
		if p.isWord(n, "this", "next") && perUnits[p.word(n+1)] != uNone {
			g.hasPer, g.per, g.perEnd = true, perUnits[p.word(n+1)], true
			if p.word(n) == "next" {
				g.perN = 1
			}
			return n + 2, true
		}
		return k, false
	case "weekend", "week-end", "wkend":
		g.hasPer, g.per, g.perWeekend = true, uWeek, true
		return p.periodOffset(j+1, g), true
	case "minggu", "bulan", "tahun":
		u := perUnits[p.word(j)]
		n := j + 1
		g.hasPer, g.per = true, u
		if e := p.periodOffset(n, g); e > n {
			return e, true
		}
		return k, false
	}
	// "two upcoming weeks": the week two from now
	if q, e, ok := p.quantityAt(j); ok && q >= 1 && q == float64(int(q)) && p.isWord(e, "upcoming") {
		if u, ok := perUnits[singular(p.word(e+1))]; ok && u >= uDay {
			g.hasPer, g.per, g.perN = true, u, int(q)
			return e + 2, true
		}
	}
	off, ok := 0, false
	switch p.word(j) {
	case "next", "coming", "upcoming", "following":
		off, ok = 1, true
	case "this", "current", "ths":
		off, ok = 0, true
	case "last", "past", "previous", "prev":
		off, ok = -1, true
	}
	if !ok {
		if p.isWord(j, "lastmonth") {
			g.hasPer, g.per, g.perN = true, uMonth, -1
			return j + 1, true
		}
		return k, false
	}
	n := j + 1
	count := 1
	if q, e, ok := p.quantityAt(n); ok && q >= 1 && perUnits[p.word(e)] == uNone {
		if u, ok := unitWords[p.word(e)]; ok {
			// "next 2 weeks", "past 2 days": counted from now
			g.hasDur, g.durs, g.durSign = true, []dur{{q, u}}, off
			if off == 0 {
				return k, false
			}
			return e + 1, true
		}
	} else if ok && q >= 1 {
		count, n = int(q), e
	}
	w := singular(p.word(n))
	u, ok := perUnits[w]
	if !ok {
		if off != 0 && (w == "weekday") {
			g.hasRelDay, g.relDay = true, 0
			g.wdCount = off * 100 // resolved as the next/previous working day
			return n + 1, true
		}
		return k, false
	}
	g.hasPer, g.per, g.perN = true, u, off*count
	if w == "weekend" || w == "week-end" {
		g.perWeekend = true
	}
	return n + 1, true
}

// periodOffset reads the Malay word that places a week, month or year:
// "depan", "hadapan", "ni", "lepas", "akan datang".
func (p *parser) periodOffset(n int, g *frame) int {
	switch p.word(n) {
	case "depan", "hadapan", "dpn", "next", "berikutnya", "seterusnya":
		g.perN = 1
		return n + 1
	case "ni", "ini", "this":
		g.perN = 0
		return n + 1
	case "lepas", "lalu", "lps", "last":
		g.perN = -1
		return n + 1
	case "akan":
		if p.isWord(n+1, "datang") {
			g.perN = 1
			return n + 2
		}
	}
	return n
}

// singular drops the plural of a period word ("weeks" -> "week").
func singular(w string) string {
	if w == "weeks" || w == "months" || w == "years" || w == "days" || w == "quarters" {
		return w[:len(w)-1]
	}
	return w
}
