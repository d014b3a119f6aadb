package when

import (
	"strings"
	"time"
)

type parser struct {
	toks []token
	opts Options
	ref  time.Time
	text string
	// skipTo is set by a matcher that saw an impossible date ("32 August"):
	// the scan resumes after it rather than reading its parts.
	skipTo int
	// scratch is the frame the matchers fill (see piece)
	scratch frame
}

func (p *parser) word(k int) string {
	if k < 0 || k >= len(p.toks) || p.toks[k].kind != tWord {
		return ""
	}
	return p.toks[k].text
}

func (p *parser) isWord(k int, ws ...string) bool {
	w := p.word(k)
	if w == "" {
		return false
	}
	for _, x := range ws {
		if w == x {
			return true
		}
	}
	return false
}

func (p *parser) num(k int) (int, bool) {
	if k < 0 || k >= len(p.toks) || p.toks[k].kind != tNum {
		return 0, false
	}
	return p.toks[k].num, true
}

func (p *parser) sym(k int, s string) bool {
	return k >= 0 && k < len(p.toks) && p.toks[k].kind == tSym && p.toks[k].text == s
}

func (p *parser) glued(k int) bool { return k >= 0 && k < len(p.toks) && p.toks[k].glued }

// matcher reads one piece at k into g and returns the index after it.
type matcher func(p *parser, k int, g *frame) (int, bool)

// matchers in priority order: durations before clocks so "in 1h" is not 01:00,
// dates before clocks so "10.31.1974" is not 10:31.
var matchers = []matcher{
	(*parser).matchDuration,
	(*parser).matchCalendar,
	(*parser).matchPeriod,
	(*parser).matchDate,
	(*parser).matchRelDay,
	(*parser).matchWeekday,
	(*parser).matchClock,
	(*parser).matchPart,
	(*parser).matchNow,
}

// glue words may sit between the pieces of one expression.
var glueWords = map[string]bool{
	"at": true, "on": true, "the": true, "of": true, "pada": true, "di": true, "in": true,
	"around": true, "about": true, "approximately": true, "approx": true, "sekitar": true,
	"dlm": false, "for": true, "this": true, "ni": true, "ini": true, "nanti": true,
	"starting": true, "from": true,
}

func (p *parser) isGlue(k int) bool {
	if k >= len(p.toks) {
		return false
	}
	t := p.toks[k]
	if t.kind == tSym {
		return t.text == "," || t.text == ";" || t.text == "@" || t.text == "(" || t.text == ")" || t.text == "~"
	}
	return t.kind == tWord && glueWords[t.text]
}

// piece tries every matcher at k.
func (p *parser) piece(k int) (frame, int, bool) {
	// The matchers are called through a table, so a frame handed to them
	// escapes; one scratch frame on the parser saves an allocation per try.
	g := &p.scratch
	for _, m := range matchers {
		*g = newFrame()
		if end, ok := m(p, k, g); ok && end > k {
			if g.pieces == 0 {
				g.pieces = 1
			}
			return *g, end, true
		}
	}
	return frame{}, k, false
}

// expr reads one expression starting at k: pieces joined by glue.
func (p *parser) expr(k int) (frame, int, bool) {
	f, end, ok := p.piece(k)
	if !ok {
		return f, k, false
	}
	for {
		j := end
		for skipped := 0; skipped < 3 && p.isGlue(j); skipped++ {
			j++
		}
		g, e, ok := p.piece(j)
		if !ok {
			if j > end {
				// try without skipping glue words the matcher may need ("in the morning")
				g, e, ok = p.piece(end)
			}
			if !ok {
				break
			}
		}
		if !f.merge(&g) {
			break
		}
		end = e
	}
	return f, end, true
}

var rangeWords = map[string]bool{
	"to": true, "till": true, "til": true, "until": true, "untill": true, "thru": true, "through": true,
	"hingga": true, "sampai": true, "sehingga": true, "smpai": true, "sampe": true, "-": true, "–": true, "—": true,
}

var openBeforeWords = map[string]bool{
	"before": true, "by": true, "until": true, "till": true, "untill": true, "through": true, "thru": true,
	"sebelum": true, "sblm": true, "sbelum": true, "b4": true, "hingga": true, "sampai": true, "sehingga": true, "deadline": true, "due": true,
}

var openAfterWords = map[string]bool{"after": true, "since": true, "selepas": true, "lepas": true, "from": true, "dari": true, "daripada": true}

// all scans the tokens left to right and returns the expressions found.
func (p *parser) all() []Scored {
	var out []Scored
	for k := 0; k < len(p.toks); {
		s, end, ok := p.exprAt(k)
		if !ok {
			if p.skipTo > k {
				k, p.skipTo = p.skipTo, 0
				continue
			}
			k++
			continue
		}
		out = append(out, s)
		k = end
	}
	return out
}

func (p *parser) exprAt(k int) (Scored, int, bool) {
	if e, ok := p.noSingleDay(k); ok {
		p.skipTo = e
		return Scored{}, k, false
	}
	if s, end, ok := p.anchoredAt(k); ok {
		return s, end, true
	}
	if s, end, ok := p.clockOffsetAt(k); ok {
		return s, end, true
	}
	f, end, ok := p.rangeOrExpr(k)
	if !ok {
		return Scored{}, k, false
	}
	if p.barePart(&f.frame, f.start, end) {
		return Scored{}, k, false
	}
	if f.hasTime && f.ampm == 0 && f.part == partNone && f.hour >= 1 && f.hour <= 6 && p.wakeUp() {
		f.ampm = 1 // "wake me at 6.30": a bare early hour is the morning when waking is the subject
	}
	if f.hasTime && f.ampm == 0 && f.part == partNone && f.hour >= 1 && f.hour <= 11 {
		// "malam ni kita jumpa pukul 9", "tonight we meet at 9": the part of the
		// day said earlier in the clause; else a meal ("dinner at 7")
		if f.part = p.clausePart(k); f.part == partNone {
			f.part = p.mealPart()
		}
	}
	if f.hasEnd && f.end.hasTime && f.end.ampm == 0 && f.end.part == partNone && f.ampm == 0 {
		f.end.part = f.part // "malam ini dari pukul 7 hingga 9" ends at 21:00
	}
	res, ok := p.resolve(&f.frame)
	if !ok {
		return Scored{}, k, false
	}
	if p.weekdayEve(f.start) && f.wd >= 0 && !f.hasDate {
		res.Time = res.Time.AddDate(0, 0, -1) // "malam Jumaat" is Thursday night
	}
	if f.hasEnd {
		if e, ok := p.resolve(&f.end); ok {
			res.End = e.Time
			res.Kind = Interval
			if res.End.Before(res.Time) && f.end.wd >= 0 && !f.end.hasDate {
				res.End = res.End.AddDate(0, 0, 7) // "Jumaat hingga Isnin"
			}
			if !res.End.After(res.Time) && res.Grain <= Hour && !f.end.hasCal() {
				res.End = res.End.AddDate(0, 0, 1)
			}
		}
	}
	if f.kind != Instant && res.Kind == Instant {
		res.Kind = f.kind
	}
	start := f.start
	res.Start, res.Stop = p.toks[start].start, p.toks[end-1].end
	res.Text = p.text[res.Start:res.Stop]
	return Scored{Result: res, Weight: f.pieces*4 + (end - start),
		dayOnly:   !f.hasTime && !f.hasDur && (f.hasRelDay || f.wd >= 0 || f.hasDate || f.hasSpan) && res.Grain <= Day,
		clockOnly: (f.hasTime || f.prayer != noPrayer) && !f.hasCal(),
	}, end, true
}

type ranged struct {
	frame
	end    frame
	hasEnd bool
	start  int
}

// rangeOrExpr reads an optional lead word ("before", "dari", "between"), an
// expression, and an optional range end ("- 4pm", "hingga Rabu").
func (p *parser) rangeOrExpr(k int) (ranged, int, bool) {
	r := ranged{start: k}
	lead := p.word(k)
	between := false
	j := k
	switch {
	case lead == "between" || lead == "antara":
		between, j = true, k+1
	case lead == "paling" && p.isWord(k+1, "lewat"):
		r.kind, j = OpenBefore, k+2
	case lead == "selewat" || lead == "selewatnya" || strings.HasPrefix(lead, "selewat"):
		r.kind, j = OpenBefore, k+1
		for p.sym(j, "-") || p.isWord(j, "lewatnya") {
			j++
		}
	case lead == "tarikh" && p.isWord(k+1, "akhir", "tutup"):
		r.kind, j = OpenBefore, k+2
	case lead == "had" && p.isWord(k+1, "masa"):
		r.kind, j = OpenBefore, k+2
	case openBeforeWords[lead]:
		r.kind, j = OpenBefore, k+1
	case openAfterWords[lead]:
		r.kind, j = OpenAfter, k+1
	}
	if j > k && p.sym(j, ":") {
		j++
	}
	if left, ok := p.numberRange(j, &r, between); ok {
		return r, left, true
	} else if p.skipTo > j {
		return r, k, false
	}
	f, end, ok := p.expr(j)
	if !ok {
		if j > k && durLead[lead] {
			// "after an hour", "selepas 2 jam": the lead counts the duration
			if g, e, ok := p.expr(k); ok && g.hasDur {
				r.frame, r.kind, r.start = g, Instant, k
				return r, e, true
			}
		}
		return r, k, false
	}
	if j > k && (lead == "from" || lead == "dari" || lead == "daripada") && !f.hasDur {
		r.kind = Instant
	}
	if f.hasDur && r.kind == OpenAfter {
		r.kind = Instant // "after 5 days" is an instant in chat
	}
	lk := r.kind
	r.frame = f
	if lk != Instant {
		r.kind = lk
	}
	if j > k {
		r.start = k
	}
	// range end
	m := end
	if p.isGlue(m) && p.sym(m, ",") {
		m++
	}
	w := p.tokText(m)
	if rangeWords[w] || (between && (w == "and" || w == "dan")) || (w == "but" && p.isWord(m+1, "before")) {
		n := m + 1
		if w == "but" {
			n = m + 2
		}
		if p.isWord(n, "the") {
			n++
		}
		if g, e, ok := p.endPiece(n, &f); ok {
			r.end, r.hasEnd = g, true
			r.kind = Instant
			p.completeRange(&r.frame, &r.end)
			end = e
		}
	}
	return r, end, true
}

// barePart is true for a part of the day standing alone ("makan malam",
// "selamat pagi"): a meal or a greeting, not a time.
func (p *parser) barePart(f *frame, start, end int) bool {
	if f.hasCal() || f.hasTime || f.part == partNone {
		return false
	}
	w := p.word(start)
	return end-start == 1 && w != "tonight" && w != "tonite" && w != "midnight" && w != "noon" && w != "midday" ||
		w == "tengah" || w == "tgh" || w == "dini"
}

// wakeWords say a time is for waking up.
var wakeWords = map[string]bool{"wake": true, "bangun": true, "kejut": true, "kejutkan": true, "alarm": true, "bangunkan": true}

func (p *parser) wakeUp() bool {
	for _, t := range p.toks {
		if t.kind == tWord && wakeWords[t.text] {
			return true
		}
	}
	return false
}

func (p *parser) tokText(k int) string {
	if k < 0 || k >= len(p.toks) {
		return ""
	}
	return p.toks[k].text
}

// endPiece reads the end of a range: a full expression, or a bare number that
// borrows the rest from the start ("July 13-15", "3:30-6").
func (p *parser) endPiece(n int, start *frame) (frame, int, bool) {
	if g, e, ok := p.expr(n); ok && !(g.hasDur && !start.hasDur) {
		return g, e, true
	}
	v, ok := p.num(n)
	if !ok {
		return frame{}, n, false
	}
	g := *start
	e := n + 1
	switch {
	case start.hasDate && start.d > 0 && !start.hasTime:
		g.d = v
		e = p.skipOrdinalSuffix(e)
	case start.hasTime:
		g.hour, g.min, g.minGiven = v, 0, false
		if v < start.hour && v >= 1 && (start.ampm == 1 || start.part == partMorning) {
			// "8am until 6", "8 pagi sampai 6": a morning start ends in the afternoon
			g.ampm, g.part = 2, partNone
		}
		if (p.sym(e, ":") || p.sym(e, ".")) && p.toks[e].glued {
			if m, ok := p.num(e + 1); ok && p.toks[e+1].digits == 2 {
				g.min, g.minGiven, e = m, true, e+2
			}
		}
	default:
		return frame{}, n, false
	}
	return g, e, true
}

// completeRange copies what one side of a range gives to the other: the day
// to the end ("Thursday from 9:30 to 11:00"), am/pm and month to the start
// ("3-4pm", "13 to 15 July").
func (p *parser) completeRange(a, b *frame) {
	if !b.hasCal() && a.hasCal() {
		b.hasDate, b.y, b.m, b.d = a.hasDate, a.y, a.m, a.d
		b.wd, b.wdMod, b.hasRelDay, b.relDay = a.wd, a.wdMod, a.hasRelDay, a.relDay
		b.hasPer, b.per, b.perN = a.hasPer, a.per, a.perN
	}
	if !a.hasCal() && b.hasCal() && a.hasTime {
		a.hasDate, a.y, a.m, a.d = b.hasDate, b.y, b.m, b.d
		a.wd, a.wdMod, a.hasRelDay, a.relDay = b.wd, b.wdMod, b.hasRelDay, b.relDay
	}
	if a.hasDate && b.hasDate {
		if a.m == 0 {
			a.m = b.m
		}
		if a.y == 0 {
			a.y = b.y
		}
		if b.m == 0 {
			b.m = a.m
		}
		if b.y == 0 {
			b.y = a.y
		}
	}
	if a.hasTime && b.hasTime {
		if !a.zoneSet && b.zoneSet {
			a.zoneSet, a.zoneOff = true, b.zoneOff // "9:30 - 11:00 CST"
		}
		if a.part == partNone && b.part != partNone {
			a.part = b.part
		}
		if a.ampm == 0 && b.ampm != 0 && (a.hour < 12 && a.hour <= b.hour || b.ampm == 1) {
			a.ampm = b.ampm
		}
		if a.ampm == 0 && b.ampm == 2 && a.hour > b.hour && a.hour < 12 {
			a.ampm = 1 // "11:30-1:30pm"
		}
	}
}

// numberRange reads ranges whose start is a bare number: "3-4pm", "1-8
// september", "13 to 15 July", "pukul 3-4", "3hb hingga 5hb Mei".
func (p *parser) numberRange(k int, r *ranged, between bool) (int, bool) {
	j := k
	malayClock := false
	if p.isWord(j, "pukul", "pkl", "kul", "jam") {
		malayClock, j = true, j+1
	}
	a, ok := p.num(j)
	if !ok || p.toks[j].digits > 2 {
		return k, false
	}
	n := p.skipOrdinalSuffix(j + 1)
	amin, hasMin := 0, false
	if (p.sym(n, ":") || p.sym(n, ".")) && p.glued(n) {
		if m, ok := p.num(n + 1); ok && p.toks[n+1].digits == 2 && m < 60 {
			amin, hasMin, n = m, true, n+2
		}
	}
	w := p.tokText(n)
	if !rangeWords[w] && !(between && (w == "and" || w == "dan")) {
		return k, false
	}
	b := n + 1
	if p.isWord(b, "pukul", "pkl", "kul", "jam") {
		b++
	}
	end, e, ok := p.expr(b)
	if !ok || end.hasDur {
		return k, false
	}
	start := end
	switch {
	case end.hasDate && end.d > 0 && !hasMin:
		if a > end.d && end.m > 0 {
			p.skipTo = e // "5-3 Mei": a range that ends before it starts is no date
			return k, false
		}
		start.d = a
	case end.hasTime && !end.hasDate:
		start.hour, start.min, start.minGiven, start.hourOnly = a, amin, hasMin, !hasMin
		start.sec = 0
		if end.ampm != 0 && a > end.hour && a < 12 {
			start.ampm = 1
		}
		if !malayClock && !hasMin && end.ampm == 0 && end.part == partNone && !end.hasCal() && !end.minGiven {
			return k, false // "2-3" alone is no time
		}
	default:
		return k, false
	}
	r.frame, r.end, r.hasEnd, r.start = start, end, true, k
	r.frame.pieces = end.pieces + 1
	r.kind = Instant
	return e, true
}

func (p *parser) skipOrdinalSuffix(k int) int {
	if p.glued(k) && p.isWord(k, "st", "nd", "rd", "th", "hb") {
		return k + 1
	}
	if p.isWord(k, "hb") {
		return k + 1
	}
	return k
}
