package when

import (
	"time"

	hijri "github.com/hablullah/go-hijri"
)

// orthodoxEaster is the Orthodox Easter Sunday of year y: the Julian
// computus (Meeus, Astronomical Algorithms, ch. 8, "Julian Easter") moved to
// the Gregorian calendar by the gap between the two calendars in that century
// (13 days from 1900 to 2099).
func orthodoxEaster(y int) time.Time {
	a, b, c := y%4, y%7, y%19
	d := (19*c + 15) % 30
	e := (2*a + 4*b - d + 34) % 7
	month := (d + e + 114) / 31
	day := (d+e+114)%31 + 1
	gap := y/100 - y/400 - 2
	return date(y, time.Month(month), day).AddDate(0, 0, gap)
}

func orthodoxPlus(days int) func(int) []time.Time {
	return func(y int) []time.Time { return []time.Time{orthodoxEaster(y).AddDate(0, 0, days)} }
}

// islamicMonthEnd is the first day of the next Hijri month (Umm al-Qura):
// the end of a span that fills a month, as Ramadan does.
func islamicMonthEnd(start time.Time) time.Time {
	h, err := hijri.CreateUmmAlQuraDate(start)
	if err != nil {
		return start.AddDate(0, 0, 30)
	}
	y, m := h.Year, h.Month+1
	if m > 12 {
		y, m = y+1, 1
	}
	t := hijri.UmmAlQuraDate{Year: y, Month: m, Day: 1}.ToGregorian()
	return date(t.Year(), t.Month(), t.Day())
}

// thaipusamDays are the days Malaysia kept Thaipusam (a holiday in Johor,
// Kedah, Negeri Sembilan, Penang, Perak, Selangor, Kuala Lumpur and
// Putrajaya), from the yearly lists of federal and state public holidays
// published by the Prime Minister's Department (Bahagian Kabinet,
// Perlembagaan dan Perhubungan Antara Kerajaan). The day follows the Tamil
// star Pusam in the month of Thai, which no simple lunar rule gives: years
// outside the table are not read.
var thaipusamDays = map[int]time.Time{
	2019: date(2019, time.January, 21),
	2020: date(2020, time.February, 8),
	2021: date(2021, time.January, 28),
	2022: date(2022, time.January, 18),
	2023: date(2023, time.February, 5),
	2024: date(2024, time.January, 25),
	2025: date(2025, time.February, 11),
	2026: date(2026, time.February, 1),
}

// tabled reads a holiday's day from a table of published dates by year.
func tabled(days map[int]time.Time) func(int) []time.Time {
	return func(y int) []time.Time {
		if d, ok := days[y]; ok {
			return []time.Time{d}
		}
		return nil
	}
}

// lastFridayOfRamadan is Jumu'atul-Wida, the last Friday before 1 Syawal
// (Umm al-Qura).
func lastFridayOfRamadan(y int) []time.Time {
	var out []time.Time
	for _, eid := range islamic(10, 1)(y) {
		d := eid.AddDate(0, 0, -1)
		out = append(out, d.AddDate(0, 0, -((int(d.Weekday())-int(time.Friday)+7)%7)))
	}
	return out
}

// bossDay is 16 October, kept on the nearest working day when it falls on
// a weekend (National Boss's Day, registered with the US Chamber of
// Commerce in 1958).
func bossDay(y int) []time.Time { return []time.Time{nearestWeekday(date(y, time.October, 16))} }

// adminDay is the Wednesday of the last full week (Sunday to Saturday) of
// April (Administrative Professionals Day, International Association of
// Administrative Professionals).
func adminDay(y int) []time.Time {
	lastSat := nthWeekdayOf(y, time.April, time.Saturday, -1)
	return []time.Time{lastSat.AddDate(0, 0, -3)}
}

// kingsDay is the Dutch King's Day: 27 April, or 26 April when the 27th is
// a Sunday, from 2014 (the Dutch government's rule for Koningsdag, as
// published on rijksoverheid.nl; before 2014 it was Queen's Day).
func kingsDay(y int) []time.Time {
	if y < 2014 {
		return nil
	}
	t := date(y, time.April, 27)
	if t.Weekday() == time.Sunday {
		t = t.AddDate(0, 0, -1)
	}
	return []time.Time{t}
}
