package when

import (
	"math"
	"time"
)

// Prayer times as parts of the day: "lepas zohor", "after Asar", "sebelum
// maghrib", "lepas Isyak" are computed for the day and place, not fixed
// hours.
//
// The sun's position comes from the U.S. Naval Observatory's "Approximate
// Solar Coordinates" formulas (good to about a minute of time between 1950
// and 2050); the prayer times use JAKIM's parameters: Subuh at a solar
// depression of 20°, Isyak at 18°, Asar when a shadow is its object's length
// plus its noon shadow (the Shafi'i rule), Maghrib at sunset (the sun's upper
// limb on the horizon, 0.833° below it), Zohor just after solar noon. JAKIM
// also adds a precaution (ihtiyat) of a minute or two; times here are rounded
// up to the next minute, so they may be up to three minutes earlier than the
// published e-Solat table (TestPrayerTimesMatchJAKIMTables).

// Place is where prayer times are computed.
type Place struct{ Lat, Lng float64 }

// KualaLumpur is the default place.
var KualaLumpur = Place{Lat: 3.1390, Lng: 101.6869}

type prayer uint8

const (
	noPrayer prayer = iota
	subuh
	zohor
	asar
	maghrib
	isyak
)

var prayerWords = map[string]prayer{
	"subuh": subuh, "suboh": subuh, "fajr": subuh, "fajar": subuh,
	"zohor": zohor, "zuhur": zohor, "zuhr": zohor, "dhuhr": zohor, "zohur": zohor, "luhur": zohor,
	"asar": asar, "asr": asar, "'asar": asar,
	"maghrib": maghrib, "magrib": maghrib, "mahgrib": maghrib, "maghreb": maghrib,
	"isyak": isyak, "isya": isyak, "isha": isyak, "isyak's": isyak, "insyak": isyak,
}

// prayerPart is the part of the day a prayer falls in, so a prayer merges
// with a day like any part of the day does.
var prayerPart = map[prayer]part{subuh: partEarly, zohor: partNoon, asar: partAfternoon, maghrib: partEvening, isyak: partNight}

const deg = math.Pi / 180

// prayerTime is the prayer's time on day (a date in loc) at place.
func prayerTime(pr prayer, day time.Time, place Place, loc *time.Location) (time.Time, bool) {
	noonUTC := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC).Add(-time.Duration(place.Lng / 15 * float64(time.Hour)))
	decl, eqt := sunAt(noonUTC)
	transit := 12 - place.Lng/15 - eqt // solar noon, hours UTC
	lat := place.Lat * deg
	hourAngle := func(altitude float64) (float64, bool) {
		c := (math.Sin(altitude) - math.Sin(lat)*math.Sin(decl)) / (math.Cos(lat) * math.Cos(decl))
		if c < -1 || c > 1 {
			return 0, false
		}
		return math.Acos(c) / deg / 15, true
	}
	var h float64
	var ok bool
	switch pr {
	case subuh:
		h, ok = hourAngle(-subuhAngle(day) * deg)
		h = transit - h
	case zohor:
		h, ok = transit+1.0/60, true
	case asar:
		alt := math.Atan(1 / (1 + math.Tan(math.Abs(lat-decl))))
		h, ok = hourAngle(alt)
		h = transit + h
	case maghrib:
		h, ok = hourAngle(-0.833 * deg)
		h = transit + h
	case isyak:
		h, ok = hourAngle(-18 * deg)
		h = transit + h
	}
	if !ok {
		return time.Time{}, false
	}
	midnightUTC := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	t := midnightUTC.Add(time.Duration(h * float64(time.Hour))).In(loc)
	// the UTC day may differ from the local one: keep the local date
	t = time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
	if t.Second() > 0 {
		t = t.Truncate(time.Minute).Add(time.Minute)
	}
	return t.Truncate(time.Minute), true
}

// subuhAngle is the sun's depression at dawn (degrees) on day: 18° since
// 2020, 20° before.
func subuhAngle(day time.Time) float64 {
	if day.Year() >= 2020 {
		return 18
	}
	return 20
}

// sunAt is the sun's declination (radians) and the equation of time (hours)
// at t (USNO approximate solar coordinates).
func sunAt(t time.Time) (decl, eqt float64) {
	d := float64(t.Unix())/86400 + 2440587.5 - 2451545.0
	g := (357.529 + 0.98560028*d) * deg
	q := 280.459 + 0.98564736*d
	l := (q + 1.915*math.Sin(g) + 0.020*math.Sin(2*g)) * deg
	e := (23.439 - 0.00000036*d) * deg
	ra := math.Atan2(math.Cos(e)*math.Sin(l), math.Cos(l)) / deg / 15
	decl = math.Asin(math.Sin(e) * math.Sin(l))
	eqt = math.Mod(q/15-ra, 24)
	if eqt < 0 {
		eqt += 24
	}
	if eqt > 12 {
		eqt -= 24
	}
	return decl, eqt
}

func (p *parser) place() Place {
	if p.opts.Place != nil {
		return *p.opts.Place
	}
	return KualaLumpur
}

// prayerAt reads a prayer name as a part of the day: "zohor", "waktu asar",
// "solat maghrib".
func (p *parser) prayerAt(j int, g *frame) (int, bool) {
	n := j
	if p.isWord(n, "waktu", "solat", "sembahyang", "smbhyg") {
		n++
	}
	pr, ok := prayerWords[p.word(n)]
	if !ok {
		return j, false
	}
	g.part, g.prayer = prayerPart[pr], pr
	return n + 1, true
}
