package when

import (
	"math"
	"time"

	"github.com/6tail/lunar-go/ShouXingUtil"
)

// Festivals of the Hindu solar calendar, kept on the day the sun enters a
// sidereal sign (a sankranti): Thai Pongal and Makar Sankranti when it enters
// Capricorn (Makara), the Tamil New Year (Puthandu), Vishu and Vaisakhi when
// it enters Aries (Mesha).
//
//   - The sun's apparent tropical longitude and the instant it reaches a value
//     come from the VSOP87-based solar theory of lunar-go (ShouXingUtil,
//     already used for the Chinese calendar).
//   - Sidereal = tropical - ayanamsa, with the Lahiri (Chitrapaksha) ayanamsa
//     of the Indian Calendar Reform Committee (1955), the one Indian
//     almanacs use: 23°51'11" at 1 January 2000, growing by 50.29" a year.
//   - The day: the Tamil calendar's rule that a month begins on the day of the
//     sankranti when it falls before sunset, else on the next day; sunset is
//     taken as 18:00 Indian time (Chennai's sunset is 18:00-18:25 in January
//     and April).
//
// Lunar Hindu festivals (Holi, Navaratri, Janmashtami, ...) depend on the
// lunar day at sunrise in India, which this rule does not give: they are not
// read.

// sankranti is the day of year y on which the sun enters the sidereal sign
// starting at longitude sign (degrees: 0 Aries, 270 Capricorn).
func sankranti(sign float64) func(int) []time.Time {
	return func(y int) []time.Time {
		ist, ok := sankrantiAt(sign, y)
		if !ok {
			return nil
		}
		day := date(ist.Year(), ist.Month(), ist.Day())
		if ist.Hour() >= 18 {
			day = day.AddDate(0, 0, 1)
		}
		return []time.Time{day}
	}
}

// sankrantiAt is the moment (Indian time, as a UTC wall clock) the sun enters
// the sidereal sign starting at longitude sign in year y.
func sankrantiAt(sign float64, y int) (time.Time, bool) {
	ayanamsa := 23.0 + 51.0/60 + 11.0/3600 + 50.29/3600*float64(y-2000)
	tropical := math.Mod(sign+ayanamsa, 360) * math.Pi / 180
	for k := y - 2001; k <= y-1999; k++ {
		// cumulative longitude: whole turns since J2000 plus the target
		d := ShouXingUtil.QiAccurate(tropical + 2*math.Pi*float64(k))
		// days since J2000 (2000-01-01 12:00) on Beijing's clock, moved to India's
		ist := j2000.Add(time.Duration((d - 2.5/24) * float64(24*time.Hour)))
		if ist.Year() == y {
			return ist, true
		}
	}
	return time.Time{}, false
}

// rabindraJayanti is 25 Boishakh of the Bengali solar calendar as West
// Bengal keeps it: Boishakh begins the day after the sun enters sidereal
// Aries (Mesha), or two days after when it enters after midnight (Surya
// Siddhanta rule of the Bengali almanacs, approximated by the sun's true
// entry).
func rabindraJayanti(y int) []time.Time {
	ist, ok := sankrantiAt(0, y)
	if !ok {
		return nil
	}
	return []time.Time{date(ist.Year(), ist.Month(), ist.Day()).AddDate(0, 0, 1+24)}
}

var j2000 = time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)

func sankrantiPlus(sign float64, days int) func(int) []time.Time {
	in := sankranti(sign)
	return func(y int) []time.Time {
		var out []time.Time
		for _, d := range in(y) {
			out = append(out, d.AddDate(0, 0, days))
		}
		return out
	}
}
