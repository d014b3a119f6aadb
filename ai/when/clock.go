package when

import "strings"

// ampmAt reads "am", "pm", "a", "p", "a.m.", "p m", "pg", "ptg" at k.
func (p *parser) ampmAt(k int) (int, int) {
	w := p.word(k)
	switch w {
	case "am", "pagi":
		return 1, p.skipDot(k + 1)
	case "pm":
		return 2, p.skipDot(k + 1)
	case "pg":
		return 1, p.skipDot(k + 1)
	case "ptg":
		return 2, p.skipDot(k + 1)
	case "in":
		// "3 in the AM", "from 3 to 4 in the PM"
		if p.isWord(k+1, "the") && p.isWord(k+2, "am", "pm") {
			return map[string]int{"am": 1, "pm": 2}[p.word(k+2)], p.skipDot(k + 3)
		}
	case "a", "p":
		v := 1
		if w == "p" {
			v = 2
		}
		n := k + 1
		if p.sym(n, ".") {
			n++
		}
		if p.isWord(n, "m") {
			return v, p.skipDot(n + 1)
		}
		if p.glued(k) || p.sym(k+1, ".") {
			return v, p.skipDot(k + 1)
		}
	}
	return 0, k
}

func (p *parser) skipDot(k int) int {
	if p.sym(k, ".") {
		return k + 1
	}
	return k
}

var clockLead = map[string]bool{"pukul": true, "pkl": true, "pk": true, "kul": true, "pkul": true, "pkol": true, "jam": true, "at": true, "@": true, "around": true, "about": true, "approximately": true, "approx": true, "by": false}

// matchClock reads a clock time: "3pm", "15:30", "10.30 pagi", "pukul 3",
// "at 7", "half past three", "15h20", "nine fifty nine a m", "noon".
func (p *parser) matchClock(k int, g *frame) (int, bool) {
	j := k
	lead := false
	if w := p.tokText(j); clockLead[w] {
		lead, j = true, j+1
		if p.sym(j, ".") {
			j++
		}
		if p.isWord(j, "about", "around") {
			j++
		}
	}
	if e, ok := p.clockWords(j, g); ok {
		return p.clockTail(e, g), true
	}
	h, ok := p.num(j)
	if !ok {
		if w := p.word(j); w != "" {
			if v, ok := numberWords[w]; ok && v >= 1 && v <= 12 && w != "a" && w != "an" && (lead || p.followsClockWord(j+1)) {
				h, ok = v, true
				n := j + 1
				if w == "dua" && p.isWord(n, "belas") {
					h, n = 12, n+1
				}
				g.hasTime, g.hour, g.hourOnly = true, h, true
				if m, e, ok := p.minuteWords(n); ok {
					g.min, g.minGiven, g.hourOnly, n = m, true, false, e
				}
				return p.clockTail(n, g), true
			}
		}
		return k, false
	}
	tok := p.toks[j]
	n := j + 1
	g.padded = tok.digits == 2 && tok.text[0] == '0'
	if p.sym(n, ".") && p.glued(n) && p.isWord(n+1, "am", "pm") && p.glued(n+1) {
		n++ // "9.am"
	}
	switch {
	case tok.digits <= 2 && (p.sym(n, ":") || (p.sym(n, ".") && p.glued(n))) && p.glued(n):
		m, ok := p.num(n + 1)
		if !ok || p.toks[n+1].digits != 2 || m > 59 || h > 24 {
			return k, false
		}
		if p.sym(n, ".") && (p.sym(n+2, ".") || p.isMoney(j)) {
			return k, false // a date (10.31.1974) or a price (RM15.30)
		}
		g.hour, g.min, g.minGiven = h, m, true
		n += 2
		if (p.sym(n, ":") || p.sym(n, ".")) && p.glued(n) {
			if s, ok := p.num(n + 1); ok && p.toks[n+1].digits == 2 && s < 60 {
				g.sec, g.secGiven = s, true
				n += 2
			}
		}
	case tok.digits <= 2 && p.isWord(n, "h") && p.glued(n) && h <= 24:
		// French-style 15h20 / 15h: a 24-hour clock, so 3h18 is 03:18
		g.hour, g.min, g.minGiven, g.padded = h, 0, true, true
		n++
		if m, ok := p.num(n); ok && p.glued(n) && p.toks[n].digits == 2 && m < 60 {
			g.min = m
			n++
		}
		if !p.clockContext(k, n) && !lead {
			return k, false
		}
	case (tok.digits == 4 && lead || tok.digits == 3 && lead && (p.isWord(j-1, "about", "around", "approximately") || p.partFollows(n))) || (tok.digits == 3 || tok.digits == 4) && p.ampmFollows(n):
		hh, mm := h/100, h%100
		if hh > 24 || mm > 59 {
			return k, false
		}
		if tok.digits == 4 && !lead && !p.ampmFollows(n) {
			return k, false
		}
		g.hour, g.min, g.minGiven = hh, mm, true
	case tok.digits <= 2 && h <= 24:
		g.hour, g.hourOnly = h, true
		if m, e, ok := p.minuteWords(n); ok && lead {
			g.min, g.minGiven, g.hourOnly, n = m, true, false, e
		} else if m, ok := p.num(n); ok && lead && p.toks[n].digits == 2 && m < 60 && !p.glued(n) {
			g.min, g.minGiven, g.hourOnly, n = m, true, false, n+1 // "at 3 15"
		}
	default:
		return k, false
	}
	g.hasTime = true
	if p.isWord(n, "setengah") {
		g.min, g.minGiven, g.hourOnly = 30, true, false
		n++
	}
	if g.hourOnly {
		n = p.malayMinutes(n, g)
	}
	n = p.clockTail(n, g)
	if g.hourOnly && !lead && g.ampm == 0 && g.part == partNone && !p.isWord(n-1, "oclock", "o'clock", "tepat", "ish") &&
		!(p.word(n) != "" && relDayWords[p.word(n)] >= 0 && relDayWords[p.word(n)] <= 1 && isRelDay(p.word(n))) &&
		!p.deadlineHour(j, n) {
		return k, false // a bare number is not a time
	}
	if g.hourOnly && !lead && g.ampm == 0 && g.part == partNight && p.isWord(n-1, "malam", "mlm") &&
		(p.isWord(j-1, "hotel", "menginap", "tinggal", "hari", "selama", "untuk", "inap", "bermalam") || n == len(p.toks) && p.isWord(j-2, "hotel", "tempah", "menginap")) {
		return k, false // "2 malam" is two nights, "Tempah hotel 7 malam"
	}
	if g.ampm != 0 && !lead && !g.minGiven && p.isWord(n-1, "a", "p") && !p.sym(n-1, ".") && len(p.toks[n-1].text) == 1 {
		return k, false // "4a" is a label, not 04:00
	}
	if p.sym(n, "%") || p.isWord(n, "percent", "peratus", "pct", "per") {
		return k, false // "6.45 percent" is a rate
	}
	if g.hour > 24 || (g.hour == 24 && g.min > 0) {
		return k, false
	}
	if g.hour > 12 && (g.ampm == 1 || g.ampm == 2 && !g.minGiven) {
		return k, false // "14am", "14PM"; "15.30pm" is a 24-hour clock with a redundant pm
	}
	return n, true
}

// malayMinutes reads the minutes Malay says after the hour: "pukul 2 suku"
// (2:15), "pukul 5 kurang suku" (4:45), "pukul 3 lebih 10" or "lewat 10
// minit" (3:10), "pukul 4 kurang 10" (3:50).
func (p *parser) malayMinutes(n int, g *frame) int {
	before := func() {
		if g.hour--; g.hour == 0 {
			g.hour = 12
		}
	}
	minutes := func(k int) (int, int, bool) {
		m, ok := p.num(k)
		if !ok || m < 1 || m > 59 || p.glued(k+1) && !p.sym(k+1, ".") {
			return 0, k, false
		}
		k++
		if p.isWord(k, "minit", "min", "mnt", "minute", "minutes", "mins") {
			k++
		}
		return m, k, true
	}
	switch {
	case p.isWord(n, "suku"):
		g.min, n = 15, n+1
	case p.isWord(n, "kurang") && p.isWord(n+1, "suku"):
		before()
		g.min, n = 45, n+2
	case p.isWord(n, "lebih", "lewat"):
		m, e, ok := minutes(n + 1)
		if !ok {
			return n
		}
		g.min, n = m, e
	case p.isWord(n, "kurang"):
		m, e, ok := minutes(n + 1)
		if !ok {
			return n
		}
		before()
		g.min, n = 60-m, e
	default:
		return n
	}
	g.minGiven, g.hourOnly = true, false
	return n
}

func (p *parser) isMoney(k int) bool {
	w := p.word(k - 1)
	return w == "rm" || w == "harga" || w == "price" || w == "usd" || w == "sgd" || w == "myr" || p.sym(k-1, "$")
}

func (p *parser) ampmFollows(n int) bool {
	v, _ := p.ampmAt(n)
	return v != 0
}

// clockContext is true when a "15h" stands where a time is expected.
func (p *parser) clockContext(k, n int) bool {
	if k == 0 && n == len(p.toks) {
		return true
	}
	if _, _, zone := p.zoneAt(n); zone || p.isWord(n, "for", "on", "tomorrow", "today") || p.sym(n, "-") || p.isWord(k-1, "at", "from", "to", "between", "and") || p.sym(k-1, "-") {
		return true
	}
	if p.sym(n, ",") || n == len(p.toks) {
		return k > 0 && (p.isWord(k-1, "at") || p.isWord(k-1, "thursday", "friday", "monday", "tuesday", "wednesday", "saturday", "sunday") || p.num2(k-1))
	}
	return false
}

func isRelDay(w string) bool { _, ok := relDayWords[w]; return ok }

func (p *parser) num2(k int) bool { _, ok := p.num(k); return ok }

// partFollows is true before a part of the day that places a compact clock:
// "at 730 tonight", "at 730 in the evening", "pkl 830 pagi".
func (p *parser) partFollows(n int) bool {
	if p.isWord(n, "in") && p.isWord(n+1, "the") {
		n += 2
	}
	return p.isWord(n, "morning", "afternoon", "evening", "night", "tonight", "tonite", "pagi", "petang", "ptg", "malam", "mlm")
}

func (p *parser) followsClockWord(n int) bool {
	if _, e, ok := p.minuteWords(n); ok {
		if v, _ := p.ampmAt(e); v != 0 {
			return true
		}
	}
	v, _ := p.ampmAt(n)
	return v != 0 || p.isWord(n, "oclock", "o'clock", "pagi", "petang", "malam", "tonight", "pm", "am", "setengah", "tepat")
}

// clockTail reads what may follow a clock: am/pm, "o'clock", "ish", a part of
// the day ("in the afternoon", "petang", "malam ni").
func (p *parser) clockTail(n int, g *frame) int {
	if p.isWord(n, "oclock", "o'clock") {
		n++
	} else if p.isWord(n, "o") && p.sym(n+1, "'") && p.isWord(n+2, "clock") {
		n += 3
	}
	if p.isWord(n, "ish") || (p.sym(n, "-") && p.isWord(n+1, "ish")) {
		n++
		if p.word(n) == "ish" {
			n++
		}
	}
	if v, e := p.ampmAt(n); v != 0 {
		g.ampm = v
		n = e
		if p.isWord(n, "ish") {
			n++
		}
	}
	if p.isWord(n, "tepat", "sharp", "approximately") {
		n++
	}
	if off, e, ok := p.zoneAt(n); ok {
		g.zoneSet, g.zoneOff, n = true, off, e
	}
	if g.part == partNone {
		pg := newFrame()
		if e, ok := p.matchPart(n, &pg); ok && pg.part != partNone && !pg.hasRelDay {
			g.part = pg.part
			n = e
		} else if e, ok := p.matchPart(n, &pg); ok && pg.part != partNone && pg.hasRelDay {
			g.part, g.hasRelDay, g.relDay = pg.part, true, pg.relDay
			n = e
		}
	}
	return n
}

// minuteWords reads spelled minutes after an hour: "twenty", "fifty nine",
// "twenty-three", "thirty".
func (p *parser) minuteWords(n int) (int, int, bool) {
	w := p.word(n)
	v, ok := numberWords[w]
	if !ok || v < 10 || v%10 != 0 && v > 19 {
		if w == "setengah" {
			return 30, n + 1, true
		}
		return 0, n, false
	}
	e := n + 1
	if v >= 20 {
		k := e
		if p.sym(k, "-") {
			k++
		}
		if u, ok := numberWords[p.word(k)]; ok && u >= 1 && u <= 9 && p.word(k) != "a" && p.word(k) != "an" {
			v += u
			e = k + 1
		}
	}
	return v, e, true
}

// clockWords reads clock phrases made of words: "noon", "midnight", "half
// past three", "a quarter to noon", "20 minutes past 3pm", "tengah malam".
func (p *parser) clockWords(k int, g *frame) (int, bool) {
	w := p.word(k)
	switch w {
	case "noon", "midday", "midnight", "tengahari", "noonish":
		g.hasTime, g.min = true, 0
		g.hour = 12
		if w == "midnight" {
			g.hour, g.part = 0, partMidnight
		}
		return k + 1, true
	case "mid":
		if p.isWord(k+1, "day") {
			g.hasTime, g.hour = true, 12
			return k + 2, true
		}
	case "tengah", "tgh":
		if p.isWord(k+1, "malam", "mlm") {
			g.hasTime, g.hour, g.part = true, 0, partMidnight
			return k + 2, true
		}
	case "half", "quarter", "a":
		n := k
		if w == "a" {
			if !p.isWord(k+1, "quarter") {
				return k, false
			}
			n++
		}
		off := 30
		if p.word(n) == "quarter" {
			off = 15
		}
		if w == "half" {
			if e, ok := p.halfHour(k, g); ok {
				return e, true
			}
		}
		return p.pastTo(n+1, off, g)
	}
	if v, ok := p.num(k); ok && v <= 59 && p.toks[k].digits <= 2 {
		n := k + 1
		if p.isWord(n, "minutes", "minute", "mins", "min") {
			n++
		}
		if p.isWord(n, "past", "after", "to", "from") && p.toks[k].digits <= 2 {
			return p.pastTo(n, v, g)
		}
	}
	if v, e, ok := p.minuteWords(k); ok && v < 60 && p.isWord(e, "past", "after", "to") {
		return p.pastTo(e, v, g)
	}
	return k, false
}

// halfHour reads British "half three" (3:30, not Malay "setengah 3", 2:30)
// at the start of a message or after a clock word: "half three?", "at half 3",
// "by half 5 pls". "half 3 kg" and "half two days" stay no time.
func (p *parser) halfHour(k int, g *frame) (int, bool) {
	if k > 0 && !p.isWord(k-1, "at", "by", "around", "about", "from", "till", "until", "before", "after", "@") {
		return k, false
	}
	h, ok := p.num(k + 1)
	if ok && p.toks[k+1].digits > 2 {
		return k, false
	}
	if !ok {
		h, ok = numberWords[p.word(k+1)]
	}
	e := k + 2
	if !ok || h < 1 || h > 12 || e < len(p.toks) && p.toks[e].kind == tWord && !p.clockContext(k+1, e) && !chatParticles[p.word(e)] && !p.followsClockWord(e) {
		return k, false
	}
	g.hasTime, g.hour, g.min, g.minGiven = true, h, 30, true
	return p.clockTail(e, g), true
}

// pastTo reads "past 3pm" / "to noon" after a minute count.
func (p *parser) pastTo(n, off int, g *frame) (int, bool) {
	dir := p.word(n)
	if dir != "past" && dir != "after" && dir != "to" && dir != "from" {
		return n, false
	}
	h := newFrame()
	e, ok := p.clockWords(n+1, &h)
	if !ok {
		hv, ok2 := p.num(n + 1)
		if !ok2 {
			v, ok3 := numberWords[p.word(n+1)]
			if !ok3 || v < 1 || v > 12 {
				return n, false
			}
			hv = v
		}
		h.hasTime, h.hour, h.hourOnly = true, hv, true
		e = n + 2
		if p.isWord(e, "h") && p.glued(e) {
			e++
			h.hourOnly = false
		}
		e = p.clockTail(e, &h)
	}
	*g = h
	g.hourOnly, g.minGiven = false, true
	if dir == "to" {
		g.hour--
		if g.hour < 0 {
			g.hour = 23
		}
		g.min = 60 - off
		if g.part == partMidnight {
			g.part = partNone
		}
	} else {
		g.min = off
	}
	return e, true
}

// deadlineHour is true for a bare hour 1-12 after a deadline word that ends
// the clause or comes before a chat particle: "hantar sblm 5 ya", "by 5
// pls", "before 6!". "before 5 people" or "sebelum 5hb" stay no time.
func (p *parser) deadlineHour(j, n int) bool {
	if !p.isWord(j-1, "before", "by", "sebelum", "sblm", "b4") {
		return false
	}
	if h, _ := p.num(j); h < 1 || h > 12 {
		return false
	}
	return n >= len(p.toks) || p.toks[n].kind == tSym && strings.ContainsAny(p.toks[n].text, ",.!?;") && !p.num2(n+1) ||
		chatParticles[p.word(n)]
}

// chatParticles end a chat sentence without adding meaning.
var chatParticles = map[string]bool{"ya": true, "ye": true, "yer": true, "tau": true, "ok": true, "okay": true,
	"pls": true, "please": true, "k": true, "boleh": true, "la": true, "lah": true, "ah": true, "tq": true, "thanks": true}
