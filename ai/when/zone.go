package when

import "time"

// zoneOffsets are the zone abbreviations people write after a clock, in
// minutes east of UTC. Summer-time names carry their own offset, so "9 am
// BST" is 08:00 UTC whatever the date.
var zoneOffsets = map[string]int{
	"gmt": 0, "utc": 0, "z": 0, "wet": 0, "bst": 60, "cet": 60, "cest": 120, "eet": 120, "eest": 180,
	"ist": 330, "wib": 420, "ict": 420, "myt": 480, "sgt": 480, "hkt": 480, "awst": 480, "wita": 480,
	"jst": 540, "kst": 540, "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780,
	"est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
	"akst": -540, "hst": -600,
}

// zoneAt reads a zone after a clock: "GMT", "(BST)", "pst". It returns the
// offset in minutes.
func (p *parser) zoneAt(n int) (int, int, bool) {
	j := n
	if p.sym(j, "(") {
		j++
	}
	off, ok := zoneOffsets[p.word(j)]
	if !ok {
		return 0, n, false
	}
	j++
	if p.sym(n, "(") {
		if !p.sym(j, ")") {
			return 0, n, false
		}
		j++
	}
	return off, j, true
}

// clockIn places the clock h:m:s of day t in the frame's zone, if it names
// one, and returns the instant in loc.
func clockIn(f *frame, t time.Time, h int, loc *time.Location) time.Time {
	if !f.zoneSet {
		return time.Date(t.Year(), t.Month(), t.Day(), h, f.min, f.sec, 0, loc)
	}
	z := time.FixedZone("", f.zoneOff*60)
	return time.Date(t.Year(), t.Month(), t.Day(), h, f.min, f.sec, 0, z).In(loc)
}
