package when

// anchorSigns are the words that put a count of days, weeks, months or
// years after or before a day: "3 days after 12 Jan", "2 hari sebelum
// Jumaat", "three weeks from tomorrow", "2 hari lepas raya".
var anchorSigns = map[string]int{"after": 1, "lepas": 1, "selepas": 1, "from": 1, "before": -1, "sebelum": -1, "prior": -1}

// anchoredAt reads "<count> <unit> after|before <day>" at k and resolves
// the day moved by the count.
func (p *parser) anchoredAt(k int) (Scored, int, bool) {
	if p.toks[k].kind != tNum && numberWords[p.word(k)] == 0 {
		return Scored{}, k, false
	}
	ds, e, ok := p.durationAt(k)
	if !ok || len(ds) == 0 || ds[0].u < uDay {
		return Scored{}, k, false
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
	f.hasDur, f.durs, f.durSign = true, ds, sign
	res, ok := p.resolve(&f)
	if !ok {
		return Scored{}, k, false
	}
	res.Kind = Instant
	if res.Grain > Day {
		res.Grain = Day // the count moves a day: "three weeks from tomorrow" is a day
	}
	res.Start, res.Stop = p.toks[k].start, p.toks[end-1].end
	res.Text = p.text[res.Start:res.Stop]
	return Scored{Result: res, Weight: (f.pieces+1)*4 + (end - k)}, end, true
}
