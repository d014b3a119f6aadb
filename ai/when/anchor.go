package when

import "time"

// anchorSigns are the words that put a count of days, weeks, months or
// years after or before a day: "3 days after 12 Jan", "2 hari sebelum
// Jumaat", "three weeks from tomorrow", "2 hari lepas raya".
var anchorSigns = map[string]int{"after": 1, "lepas": 1, "selepas": 1, "from": 1, "before": -1, "sebelum": -1, "prior": -1}

// anchoredAt reads "<count> <unit> after|before <day>" at k and resolves
// the day moved by the count.
func (p *parser) anchoredAt(k int) (Scored, int, bool) {
	ds, e, week, ok := p.anchorCount(k)
	wd, nth, byWeekday := time.Weekday(0), 1, false
	if !ok {
		if wd, nth, e, byWeekday = p.anchorWeekday(k); !byWeekday {
			return Scored{}, k, false
		}
	}
	sign, ok := anchorSigns[p.word(e)]
	if !ok {
		return Scored{}, k, false
	}
	if p.isWord(e, "prior") && p.isWord(e+1, "to") {
		e++
	}
	f, end, ok := p.expr(e + 1)
	if !ok || f.hasDur || f.now || !(f.hasDate || f.wd >= 0 || f.hasRelDay && f.relDay != 0 || f.hasSpan) {
		return Scored{}, k, false
	}
	if !byWeekday {
		f.hasDur, f.durs, f.durSign = true, ds, sign
	}
	res, ok := p.resolve(&f)
	if !ok {
		return Scored{}, k, false
	}
	if byWeekday { // "the Monday after Easter": the first such weekday past the day
		step := (int(wd) - int(res.Time.Weekday()) + 7) % 7
		if sign < 0 {
			step = -((int(res.Time.Weekday()) - int(wd) + 7) % 7)
		}
		if step == 0 {
			step = 7 * sign
		}
		step += 7 * sign * (nth - 1)
		res.Time = time.Date(res.Time.Year(), res.Time.Month(), res.Time.Day()+step, 0, 0, 0, 0, res.Time.Location())
	}
	res.Kind, res.End = Instant, time.Time{}
	if res.Grain > Day {
		res.Grain = Day // the count moves a day: "three weeks from tomorrow" is a day
	}
	if week { // "the week after CNY": the week that holds the day a week later
		res.Time = weekStart(res.Time)
		res.Grain = Week
	}
	res.Start, res.Stop = p.toks[k].start, p.toks[end-1].end
	res.Text = p.text[res.Start:res.Stop]
	return Scored{Result: res, Weight: (f.pieces+1)*4 + (end - k)}, end, true
}

// anchorCount reads the count of an anchored offset: "3 days", "sehari",
// "a week", and "the day" / "the week" ("the day before raya", "the week
// after CNY"), which reports week for a whole week.
func (p *parser) anchorCount(k int) ([]dur, int, bool, bool) {
	j := k
	if p.isWord(j, "the") {
		j++
	}
	if p.isWord(j, "day", "week") && anchorSigns[p.word(j+1)] != 0 && !p.isWord(j+1, "from") {
		if p.word(j) == "day" {
			return []dur{{1, uDay}}, j + 1, false, true
		}
		return []dur{{1, uWeek}}, j + 1, true, true
	}
	if _, se := seUnitWords[p.word(k)]; p.toks[k].kind != tNum && numberWords[p.word(k)] == 0 && !se {
		return nil, k, false, false
	}
	ds, e, ok := p.durationAt(k)
	if !ok || len(ds) == 0 || ds[0].u < uDay {
		return nil, k, false, false
	}
	return ds, e, false, true
}

// weekStart is the Monday that starts t's week.
func weekStart(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, t.Location())
}

// anchorWeekday reads a weekday that a day places, with its count: "the
// Monday after Easter", "Jumaat sebelum raya", "the second Friday after
// CNY".
func (p *parser) anchorWeekday(k int) (time.Weekday, int, int, bool) {
	j := k
	if p.isWord(j, "the", "hari") {
		j++
	}
	n := 1
	if v, e, ok := p.strictOrdinal(j); ok && v >= 1 && v <= 5 {
		n, j = v, e
	}
	wd, ok := weekdayWords[p.word(j)]
	if !ok || anchorSigns[p.word(j+1)] == 0 || p.isWord(j+1, "from") {
		return 0, 0, k, false
	}
	return wd, n, j + 1, true
}

// clockOffsetAt reads minutes or hours before or after a clock, with up to
// two words between ("15 min before the 3pm meeting", "15 minit sebelum
// meeting pukul 3", "half an hour before 8pm"): the clock moved by the count.
func (p *parser) clockOffsetAt(k int) (Scored, int, bool) {
	if p.toks[k].kind != tNum && numberWords[p.word(k)] == 0 && !p.isWord(k, "half", "setengah", "sejam") {
		return Scored{}, k, false
	}
	if !p.subDayUnit(k+1) && !p.subDayUnit(k+2) && !p.isWord(k, "sejam") {
		return Scored{}, k, false // cheap test before reading the count
	}
	ds, e, ok := p.durationAt(k)
	if !ok || len(ds) == 0 {
		return Scored{}, k, false
	}
	for _, d := range ds {
		if d.u >= uDay || d.u < uMinute {
			return Scored{}, k, false
		}
	}
	sign, ok := anchorSigns[p.word(e)]
	if !ok || p.isWord(e, "from") {
		return Scored{}, k, false
	}
	for skip := 1; skip <= 3 && e+skip < len(p.toks); skip++ {
		f, end, ok := p.expr(e + skip)
		if !ok {
			continue
		}
		if !f.hasTime || f.hasDur {
			return Scored{}, k, false
		}
		res, ok := p.resolve(&f)
		if !ok {
			return Scored{}, k, false
		}
		for _, d := range ds {
			step := time.Duration(d.n * float64(time.Minute))
			if d.u == uHour {
				step = time.Duration(d.n * float64(time.Hour))
			}
			res.Time = res.Time.Add(time.Duration(sign) * step)
		}
		res.Kind, res.End, res.Grain = Instant, time.Time{}, Minute
		res.Start, res.Stop = p.toks[k].start, p.toks[end-1].end
		res.Text = p.text[res.Start:res.Stop]
		return Scored{Result: res, Weight: (f.pieces+1)*4 + (end - k)}, end, true
	}
	return Scored{}, k, false
}

func (p *parser) subDayUnit(k int) bool {
	u, ok := unitWords[p.word(k)]
	return ok && (u == uMinute || u == uHour)
}
