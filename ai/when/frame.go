package when

import "time"

// Weekday modifiers.
const (
	wdPlain = iota
	wdThis
	wdNext
	wdLast
	wdAfterNext
)

type dur struct {
	n float64
	u unit
}

// frame collects the pieces of one time expression ("esok" + "pukul 3" +
// "petang") before it is resolved.
type frame struct {
	// calendar: at most one of date, weekday, relative day, period, duration
	hasDate            bool
	y, m, d            int // 0 = not given
	wd                 int // -1 = none
	wdMod              int
	hasRelDay          bool
	relDay             int
	hasPer             bool
	per                unit
	perN               int
	perWeekend         bool
	perEnd             bool // end of the period ("end of month", "hujung bulan")
	hasDur             bool
	durs               []dur
	durSign            int
	wdCount            int // "3 fridays from now"
	now                bool
	hasTime            bool
	hour, min, sec     int
	ampm               int // 0 unknown, 1 am, 2 pm
	minGiven, secGiven bool
	hourOnly           bool // a bare number read as an hour ("pukul 3", "at 7")
	padded             bool // written with a leading zero ("06.00"): a 24-hour clock
	part               part
	prayer             prayer // a prayer that names the part ("lepas zohor")
	kind               Kind
	pieces             int
	// a day or span already resolved by a calendar rule ("last day of May")
	hasSpan        bool
	spanT, spanEnd time.Time
	spanG          Grain
	// a zone written after the clock ("8:00 GMT"), minutes east of UTC
	zoneSet bool
	zoneOff int
}

func newFrame() frame { return frame{wd: -1} }

func (f *frame) hasCal() bool {
	return f.hasDate || f.wd >= 0 || f.hasRelDay || f.hasPer || f.hasDur || f.now || f.hasSpan
}

// merge adds g's pieces to f; it refuses a second calendar anchor or clock
// time, which means a new expression has started.
func (f *frame) merge(g *frame) bool {
	switch {
	case g.hasTime && f.hasTime:
		return false
	case g.part != partNone && f.part != partNone && g.part != f.part:
		return false
	}
	if g.hasCal() && f.hasCal() {
		// A weekday beside a date names the same day ("Fri, Jul 18").
		weekdayAndDate := (g.hasDate && !f.hasDate && f.wd >= 0 && !f.hasRelDay && !f.hasPer && !f.hasDur) ||
			(f.hasDate && !g.hasDate && g.wd >= 0 && !g.hasRelDay && !g.hasPer && !g.hasDur)
		// "today in one hour", "next tuesday +10 days"
		durAfterDay := g.hasDur && !f.hasDur && (f.hasRelDay || f.wd >= 0 || f.hasDate || f.now || f.hasSpan)
		if f.hasDur && !g.hasDur && g.hasRelDay && !f.hasRelDay {
			// "2 days after tomorrow"
			f.hasRelDay, f.relDay = true, g.relDay
			f.pieces += g.pieces
			f.mergeClock(g)
			return true
		}
		// "Jumaat minggu depan", "Tuesday, next week"
		wdAndWeek := (f.wd >= 0 && g.hasPer && g.per == uWeek && !g.perWeekend && !g.perEnd && g.perN != 0) ||
			(g.wd >= 0 && f.hasPer && f.per == uWeek && !f.perWeekend && !f.perEnd && f.perN != 0)
		if !weekdayAndDate && !durAfterDay && !wdAndWeek {
			return false
		}
		if wdAndWeek {
			if g.wd >= 0 {
				f.wd, f.hasPer = g.wd, false
			} else {
				f.hasPer = false
			}
			if f.wdMod == wdPlain {
				f.wdMod = wdNext
			}
			f.pieces += g.pieces
			f.mergeClock(g)
			return true
		}
		if durAfterDay {
			f.hasDur, f.durs, f.durSign = true, g.durs, g.durSign
			f.pieces += g.pieces
			f.mergeClock(g)
			return true
		}
	}
	if g.hasDate {
		f.hasDate, f.y, f.m, f.d = true, g.y, g.m, g.d
	}
	if g.wd >= 0 {
		// beside a date the weekday only picks the year ("Fri, Jul 18")
		f.wd, f.wdMod = g.wd, g.wdMod
	}
	if g.hasRelDay {
		f.hasRelDay, f.relDay = true, g.relDay
	}
	if g.hasPer {
		f.hasPer, f.per, f.perN, f.perWeekend, f.perEnd = true, g.per, g.perN, g.perWeekend, g.perEnd
	}
	if g.hasDur {
		f.hasDur, f.durs, f.durSign, f.wdCount = true, g.durs, g.durSign, g.wdCount
		if g.wd >= 0 {
			f.wd = g.wd
		}
	}
	if g.now {
		f.now = true
	}
	if g.hasSpan {
		f.hasSpan, f.spanT, f.spanEnd, f.spanG = true, g.spanT, g.spanEnd, g.spanG
	}
	f.pieces += g.pieces
	f.mergeClock(g)
	return true
}

func (f *frame) mergeClock(g *frame) {
	if g.hasTime {
		f.hasTime, f.hour, f.min, f.sec, f.ampm = true, g.hour, g.min, g.sec, g.ampm
		f.minGiven, f.secGiven, f.hourOnly, f.padded = g.minGiven, g.secGiven, g.hourOnly, g.padded
		f.zoneSet, f.zoneOff = g.zoneSet, g.zoneOff
	}
	if g.part != partNone {
		f.part, f.prayer = g.part, g.prayer
	}
	if g.kind != Instant && f.kind == Instant {
		f.kind = g.kind
	}
}
