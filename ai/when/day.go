package when

import "strings"

// matchPart reads a part of the day: "morning", "in the evening", "this
// afternoon", "tonight", "malam ni", "tengah hari", "dini hari", "petang esok".
func (p *parser) matchPart(k int, g *frame) (int, bool) {
	j := k
	this := false
	switch {
	case p.isWord(j, "in") && p.isWord(j+1, "the"):
		j += 2
	case p.isWord(j, "this", "today", "ths"):
		this, j = true, j+1
	case p.isWord(j, "early", "late"):
		j++
		if p.isWord(j, "in") && p.isWord(j+1, "the") {
			j += 2
		}
	}
	if e, ok := p.prayerAt(j, g); ok {
		if p.isWord(e, "ni", "ini", "nanti") || this {
			g.hasRelDay, g.relDay = true, 0
			if !this {
				e++
			}
		}
		return e, true
	}
	w := p.word(j)
	pt, ok := partWords[w]
	n := j + 1
	switch {
	case w == "tengah" || w == "tgh":
		if p.isWord(j+1, "hari", "ari") {
			pt, ok, n = partNoon, true, j+2
		} else if p.isWord(j+1, "malam", "mlm") {
			pt, ok, n = partMidnight, true, j+2
		}
	case w == "dini" && p.isWord(j+1, "hari"):
		pt, ok, n = partEarly, true, j+2
	case w == "early" && p.isWord(j+1, "hours"):
		pt, ok, n = partEarly, true, j+2
	case w == "tgh" && !ok:
		ok = false
	}
	if !ok {
		return k, false
	}
	if w == "tgh" && pt == partNoon && n == j+1 {
		return k, false
	}
	if w == "pg" && !p.glued(j) && j == k {
		// "pg" alone is also "page"; only after a clock (handled by ampmAt)
		return k, false
	}
	g.part = pt
	if w == "tonight" || w == "tonite" || w == "2nite" || w == "2night" || this {
		g.hasRelDay, g.relDay = true, 0
	}
	if p.isWord(n, "ni", "ini", "nanti") {
		g.hasRelDay, g.relDay = true, 0
		n++
	} else if p.isWord(n, "tadi") {
		g.hasRelDay, g.relDay = true, 0
		n++
	} else if p.isWord(n, "ish") {
		n++
	}
	if p.isWord(k-1, "nanti") && j == k {
		g.hasRelDay, g.relDay = true, 0
	}
	return n, true
}

// matchRelDay reads days named from today: "tomorrow", "esok", "lusa", "hari
// ini", "the day after tomorrow", "2 day after tomorrow".
func (p *parser) matchRelDay(k int, g *frame) (int, bool) {
	j := k
	if p.isWord(j, "the") {
		j++
	}
	extra := 0
	if p.isWord(j, "day") && p.isWord(j+1, "after", "before") && p.isWord(j+2, "tomorrow", "yesterday", "today") {
		if p.word(j+1) == "after" {
			extra = 1
		} else {
			extra = -1
		}
		j += 2
	}
	if p.isWord(j, "hari", "hri") && p.isWord(j+1, "ini", "ni") {
		g.hasRelDay, g.relDay = true, 0
		return j + 2, true
	}
	if p.isWord(j, "pagi", "petang", "malam") && p.isWord(j+1, "esok", "besok") {
		g.part = partWords[p.word(j)]
		g.hasRelDay, g.relDay = true, 1
		return j + 2, true
	}
	w := p.word(j)
	d, ok := relDayWords[w]
	if !ok {
		return k, false
	}
	if (w == "esok" || w == "besok") && p.sym(j+1, "-") && p.isWord(j+2, "esok", "besok") {
		return k, false // "esok-esok": some day, not tomorrow
	}
	g.hasRelDay, g.relDay = true, d+extra
	n := j + 1
	if p.isWord(n, "lusa") && w == "esok" {
		return k, false
	}
	return n, true
}

// matchNow reads "now", "right now", "ASAP".
func (p *parser) matchNow(k int, g *frame) (int, bool) {
	switch {
	case p.isWord(k, "now", "atm", "asap", "skrg", "sekarang"):
		g.now = true
		if p.isWord(k, "asap") {
			g.kind = OpenAfter
		}
		return k + 1, true
	case p.isWord(k, "at") && p.isWord(k+1, "the") && p.isWord(k+2, "moment"):
		g.now = true
		return k + 3, true
	case p.isWord(k, "right", "just") && p.isWord(k+1, "now"):
		g.now = true
		return k + 2, true
	case p.isWord(k, "as") && p.isWord(k+1, "soon") && p.isWord(k+2, "as") && p.isWord(k+3, "possible"):
		g.now, g.kind = true, OpenAfter
		return k + 4, true
	}
	return k, false
}

// matchWeekday reads "Friday", "next Friday", "this fri", "hari Jumaat ini",
// "Isnin depan", "friday after next", "wednesday of next week".
func (p *parser) matchWeekday(k int, g *frame) (int, bool) {
	j := k
	mod := wdPlain
	switch p.word(j) {
	case "next", "coming", "upcoming":
		mod, j = wdNext, j+1
	case "this", "ths":
		mod, j = wdThis, j+1
	case "last", "past", "previous":
		mod, j = wdLast, j+1
	}
	if p.isWord(j, "hari", "hri") {
		j++
	}
	w := p.word(j)
	wd, ok := weekdayWords[w]
	if !ok && strings.HasSuffix(w, "'s") { // "Friday's deadline"
		w = strings.TrimSuffix(w, "'s")
		wd, ok = weekdayWords[w]
		ok = ok && !ambiguousWeekdays[w]
	}
	if !ok {
		return k, false
	}
	if w == "jumaat" && p.isWord(j-1, "solat", "khutbah", "sembahyang", "sholat") {
		return k, false
	}
	n := j + 1
	if ambiguousWeekdays[w] && mod == wdPlain && !p.isWord(j-1, "on", "hari", "this", "next", "last") {
		// "sat", "sun": only as the whole text or before a date or a dot
		if !(k == 0 && (n == len(p.toks) || p.sym(n, ".") && n+1 == len(p.toks))) && !p.sym(n, ",") && !p.sym(n, ".") && !p.num2(n) && monthWords[p.word(n)] == 0 {
			return k, false
		}
	}
	if p.sym(n, ".") && p.glued(n) && len(w) <= 4 {
		n++
	}
	switch {
	case p.isWord(n, "depan", "hadapan", "dpn"):
		mod, n = wdNext, n+1
	case p.isWord(n, "ini", "ni"):
		mod, n = wdThis, n+1
	case p.isWord(n, "lepas", "lalu", "lps"):
		mod, n = wdLast, n+1
	case p.isWord(n, "yang", "yg") && p.isWord(n+1, "lepas", "lalu"):
		mod, n = wdLast, n+2 // "Jumaat yang lalu"
	case p.isWord(n, "after") && p.isWord(n+1, "next"):
		mod, n = wdAfterNext, n+2
	case p.isWord(n, "of", "next", "this") || p.sym(n, ","):
		e := n
		if p.sym(e, ",") || p.isWord(e, "of") {
			e++
		}
		if p.isWord(e, "the") {
			e++
		}
		if p.isWord(e, "next", "following", "coming") && p.isWord(e+1, "week") {
			mod, n = wdNext, e+2
		} else if p.isWord(e, "this", "current") && p.isWord(e+1, "week") {
			mod, n = wdThis, e+2
			g.wdCount = -1 // this calendar week, even if the day has passed
		} else if p.isWord(e, "last", "previous", "past") && p.isWord(e+1, "week") {
			mod, n = wdLast, e+2
		}
	case p.isWord(n, "from") && p.isWord(n+1, "last") && p.isWord(n+2, "week"):
		mod, n = wdLast, n+3
	}
	g.wd, g.wdMod = int(wd), mod
	return n, true
}
