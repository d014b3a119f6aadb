package when

import (
	"math"
	"time"
)

// The Hindu lunisolar calendar, enough to place the festivals kept on a lunar
// day (tithi) of a lunar month:
//
//   - The Moon's longitude from the largest terms of the ELP-2000/82 series and
//     the Sun's from its equation of the centre, both as given by Meeus,
//     Astronomical Algorithms (2nd ed.), chapters 47 and 25. The terms kept
//     put the Moon within about 0.01 degrees, a lunar day boundary within a few
//     minutes; TestLunarNewMoonsMatchLunarGo checks the new moons against
//     lunar-go's.
//   - A tithi is each 12 degrees of the Moon's elongation from the Sun; the
//     month runs from new moon to new moon (amanta) and takes the name of the
//     sidereal sign the Sun enters during it (Chaitra: Mesha); a month in which
//     the Sun enters no sign is a leap month, and holds no festival. Sidereal
//     longitudes use the Lahiri ayanamsa (see hindu_solar.go).
//   - A festival is kept on the civil day (Indian time) whose moment of
//     observance falls in its tithi: sunrise for most, midday, afternoon,
//     dusk (pradosh) or midnight for those whose rites are then, as Indian
//     almanacs state; days are reckoned at New Delhi.
//
// Almanacs of different regions can keep a festival a day apart; the day read
// is a suggestion to confirm, like every action's.

// Moments of the day a festival is kept at, in hours of Indian time.
const (
	atSunrise   = -1.0 // the day's sunrise at New Delhi
	atMidday    = 12.5
	atAfternoon = 15.0
	atDusk      = 19.25
	atMoonrise  = 20.5
	atMidnight  = 23.9
)

// lunarDay is a festival on tithi (0-29: 0-14 the bright half, 14 the full
// moon, 29 the new moon) of amanta month (0 Chaitra ... 11 Phalguna), kept at
// hour, moved by shift days.
func lunarDay(month, tithi int, hour float64, shift int) func(int) []time.Time {
	return func(y int) []time.Time {
		var out []time.Time
		for _, d := range festivalDays(y, month, tithi, hour) {
			if d = d.AddDate(0, 0, shift); d.Year() == y {
				out = append(out, d)
			}
		}
		return out
	}
}

// festivalDays finds, for each month `month` that overlaps year y, the first
// civil day whose moment of observance falls in the tithi, or when the tithi
// passes between two such moments, the day it begins.
func festivalDays(y, month, tithi int, hour float64) []time.Time {
	var out []time.Time
	nm := newMoonBefore(jdOf(date(y, 1, 1)) - 20)
	for nm < jdOf(date(y+1, 1, 1))+20 {
		next := newMoonBefore(nm + 32)
		if monthOf(nm, next) == month {
			for d := dayOfJD(nm); ; d++ {
				jd := observance(d, hour)
				if jd < nm {
					continue
				}
				if jd > next+1 {
					break
				}
				t := tithiAt(jd)
				if t == tithi || t > tithi && t-tithi < 3 {
					out = append(out, dateOfDay(d))
					break
				}
			}
		}
		nm = next
	}
	return out
}

// The Julian Day of a civil date's midnight at UTC, and back; days are counted
// as whole Julian Day numbers of Indian civil days.
func jdOf(t time.Time) float64 { return float64(t.Unix())/86400 + 2440587.5 }

func dayOfJD(jd float64) int { return int(math.Floor(jd + 5.5/24 - 2440587.5)) }

func dateOfDay(d int) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// observance is the Julian Day of hour (Indian time) on civil day d.
func observance(d int, hour float64) float64 {
	if hour == atSunrise {
		hour = sunriseDelhi(d)
	}
	return float64(d) + 2440587.5 + (hour-5.5)/24
}

// sunriseDelhi is the hour of sunrise at New Delhi (28.61 N, 77.21 E) on
// civil day d, by the Sun's declination and the equation of time (NOAA's
// approximations), to a few minutes.
func sunriseDelhi(d int) float64 {
	doy := float64(dateOfDay(d).YearDay())
	g := 2 * math.Pi / 365 * (doy - 1)
	decl := 0.006918 - 0.399912*math.Cos(g) + 0.070257*math.Sin(g) - 0.006758*math.Cos(2*g) +
		0.000907*math.Sin(2*g) - 0.002697*math.Cos(3*g) + 0.00148*math.Sin(3*g)
	eot := 229.18 * (0.000075 + 0.001868*math.Cos(g) - 0.032077*math.Sin(g) - 0.014615*math.Cos(2*g) - 0.040849*math.Sin(2*g))
	lat := 28.61 * math.Pi / 180
	ha := math.Acos(math.Cos(90.833*math.Pi/180)/(math.Cos(lat)*math.Cos(decl)) - math.Tan(lat)*math.Tan(decl))
	noon := 720 - 4*77.21 - eot // minutes UTC
	return (noon-4*ha*180/math.Pi)/60 + 5.5
}

// tithiAt is the lunar day at Julian Day jd.
func tithiAt(jd float64) int { return int(elongation(jd) / 12) }

// monthOf is the amanta month between two new moons: the sign the Sun enters
// in it, or -1 for a leap month.
func monthOf(nm, next float64) int {
	a, b := int(siderealSun(nm)/30), int(siderealSun(next)/30)
	if a == b {
		return -1
	}
	return b
}

func siderealSun(jd float64) float64 {
	y := 2000 + (jd-2451545)/365.25
	ayanamsa := 23.0 + 51.0/60 + 11.0/3600 + 50.29/3600*(y-2000)
	return norm360(sunLongitude(jd) - ayanamsa)
}

// newMoonBefore is the last new moon at or before jd.
func newMoonBefore(jd float64) float64 {
	t := jd - elongation(jd)/12.1908
	for i := 0; i < 4; i++ {
		e := elongation(t)
		if e > 180 {
			e -= 360
		}
		t -= e / 12.1908
	}
	return t
}

func norm360(x float64) float64 {
	x = math.Mod(x, 360)
	if x < 0 {
		x += 360
	}
	return x
}

// elongation is the Moon's longitude minus the Sun's, 0-360 degrees.
func elongation(jd float64) float64 { return norm360(moonLongitude(jd) - sunLongitude(jd)) }

// sunLongitude is the Sun's apparent longitude without nutation (which the
// Moon's shares), Meeus ch. 25.
func sunLongitude(jd float64) float64 {
	t := (jd - 2451545) / 36525
	l0 := 280.46646 + 36000.76983*t + 0.0003032*t*t
	m := rad(357.52911 + 35999.05029*t - 0.0001537*t*t)
	c := (1.914602-0.004817*t-0.000014*t*t)*math.Sin(m) + (0.019993-0.000101*t)*math.Sin(2*m) + 0.000289*math.Sin(3*m)
	return norm360(l0 + c - 0.00569)
}

func rad(d float64) float64 { return d * math.Pi / 180 }

// moonTerms are the largest periodic terms of the Moon's longitude (Meeus
// table 47.A): multiples of D, M, M', F and the coefficient in 1e-6 degrees.
var moonTerms = [][5]float64{
	{0, 0, 1, 0, 6288774}, {2, 0, -1, 0, 1274027}, {2, 0, 0, 0, 658314}, {0, 0, 2, 0, 213618},
	{0, 1, 0, 0, -185116}, {0, 0, 0, 2, -114332}, {2, 0, -2, 0, 58793}, {2, -1, -1, 0, 57066},
	{2, 0, 1, 0, 53322}, {2, -1, 0, 0, 45758}, {0, 1, -1, 0, -40923}, {1, 0, 0, 0, -34720},
	{0, 1, 1, 0, -30383}, {2, 0, 0, -2, 15327}, {0, 0, 1, 2, -12528}, {0, 0, 1, -2, 10980},
	{4, 0, -1, 0, 10675}, {0, 0, 3, 0, 10034}, {4, 0, -2, 0, 8548}, {2, 1, -1, 0, -7888},
	{2, 1, 0, 0, -6766}, {1, 0, -1, 0, -5163}, {1, 1, 0, 0, 4987}, {2, -1, 1, 0, 4036},
	{2, 0, 2, 0, 3994}, {4, 0, 0, 0, 3861}, {2, 0, -3, 0, 3665}, {0, 1, -2, 0, -2689},
	{2, 0, -1, 2, -2602}, {2, -1, -2, 0, 2390}, {1, 0, 1, 0, -2348}, {2, -2, 0, 0, 2236},
	{0, 1, 2, 0, -2120}, {0, 2, 0, 0, -2069},
}

// moonLongitude is the Moon's geocentric longitude without nutation, Meeus
// ch. 47 (the terms above and the Venus and Jupiter terms A1, A2).
func moonLongitude(jd float64) float64 {
	t := (jd - 2451545) / 36525
	lp := 218.3164477 + 481267.88123421*t - 0.0015786*t*t
	d := 297.8501921 + 445267.1114034*t - 0.0018819*t*t
	m := 357.5291092 + 35999.0502909*t - 0.0001536*t*t
	mp := 134.9633964 + 477198.8675055*t + 0.0087414*t*t
	f := 93.2720950 + 483202.0175233*t - 0.0036539*t*t
	e := 1 - 0.002516*t - 0.0000074*t*t
	sum := 0.0
	for _, k := range moonTerms {
		c := k[4]
		switch math.Abs(k[1]) {
		case 1:
			c *= e
		case 2:
			c *= e * e
		}
		sum += c * math.Sin(rad(k[0]*d+k[1]*m+k[2]*mp+k[3]*f))
	}
	a1, a2 := rad(119.75+131.849*t), rad(53.09+479264.290*t)
	sum += 3958*math.Sin(a1) + 1962*math.Sin(rad(lp-f)) + 318*math.Sin(a2)
	return norm360(lp + sum/1e6)
}

// onam is Thiruvonam: the day of the Malayalam month Chingam (the Sun in
// sidereal Leo) when the Moon is in the lunar mansion Shravana (Thiruvonam,
// sidereal 280 to 293 1/3 degrees) in the morning in Kerala (the star must
// hold for part of the morning after sunrise; taken at 08:00 Indian time);
// when Chingam holds two such days, the later one, as in 2024.
// TestHinduFestivalDaysOfKnownYears checks Kerala's days of 2017-2025.
func onam(y int) []time.Time {
	var out []time.Time
	for d := dayOfJD(jdOf(date(y, 8, 10))); d < dayOfJD(jdOf(date(y, 9, 25))); d++ {
		jd := observance(d, 8)
		if sun := siderealSun(jd); sun < 120 || sun >= 150 {
			continue
		}
		if m := norm360(siderealSun(jd) + elongation(jd)); m >= 280 && m < 280+40.0/3 {
			if len(out) > 0 && dateOfDay(d).Sub(out[0]) < 48*time.Hour {
				continue // the same star on the next morning
			}
			out = []time.Time{dateOfDay(d)}
		}
	}
	return out
}
