package when

import "strings"

// Hints the parser takes from the rest of the message: words that make a
// look-alike no time, and parts of the day that place a bare hour.

// vagueDays are Malay pairs that name no single day: "esok-esok" (some day),
// "esok lusa" (in a day or two), "lusa tulat".
var vagueDays = map[string]bool{"esok": true, "besok": true, "lusa": true, "tulat": true}

// noSingleDay reads what looks like a time but is none: a vague pair of days,
// or a version number ("version 1.10.30", "v2.1"). It returns where the scan
// resumes.
func (p *parser) noSingleDay(k int) (int, bool) {
	w := p.word(k)
	if vagueDays[w] {
		if p.sym(k+1, "-") && p.word(k+2) == w {
			return k + 3, true
		}
		if p.word(k+1) != w && vagueDays[p.word(k+1)] {
			return k + 2, true
		}
	}
	if p.toks[k].kind == tNum && (p.isWord(k-1, "version", "versi", "ver", "v", "release") ||
		p.sym(k-1, ":") && p.isWord(k-2, "version", "versi")) {
		e := k + 1
		for (p.sym(e, ".") || p.toks[min(e, len(p.toks)-1)].kind == tNum) && e < len(p.toks) && p.glued(e) {
			e++
		}
		return e, true
	}
	return k, false
}

// weekdayEve is true for "malam <day>" (not "makan malam <day>"): in Malay
// the night is named after the day it leads into, so "malam Jumaat" is
// Thursday night; "Jumaat malam" is Friday night.
func (p *parser) weekdayEve(k int) bool {
	if !p.isWord(k, "malam", "mlm") || p.isWord(k-1, "makan") {
		return false
	}
	_, ok := weekdayWords[p.word(k+1)]
	return ok
}

// clausePart is the part of the day named before k in the same clause
// ("esok pagi kita gerak pukul 6"), or partNone. A part that is past ("pagi
// tadi") says nothing about a later clock.
func (p *parser) clausePart(k int) part {
	for i := k - 1; i >= 0; i-- {
		t := p.toks[i]
		if t.kind == tSym && strings.ContainsAny(t.text, ",.!?;") {
			return partNone
		}
		if t.kind != tWord {
			continue
		}
		if pt, ok := partWords[t.text]; ok && pt != partNone && !p.isWord(i+1, "tadi", "semalam", "lalu", "lepas") {
			return pt
		}
	}
	return partNone
}

// mealWords name meals eaten at one part of the day; a bare hour in the same
// message takes that part. They only place a clock that is there: alone
// they are no time ("makan malam keluarga").
var mealWords = map[string]part{"dinner": partEvening, "supper": partEvening, "iftar": partEvening,
	"breakfast": partMorning, "sarapan": partMorning, "sahur": partMorning, "bersahur": partMorning}

// mealPart is the part of the day a meal in the message sets, or partNone;
// "buka puasa" (breaking the fast, at sunset) and "makan malam" are the
// evening.
func (p *parser) mealPart() part {
	for k, t := range p.toks {
		if t.kind != tWord {
			continue
		}
		if pt, ok := mealWords[t.text]; ok {
			return pt
		}
		if t.text == "buka" && p.isWord(k+1, "puasa") || t.text == "makan" && p.isWord(k+1, "malam") {
			return partEvening
		}
	}
	return partNone
}
