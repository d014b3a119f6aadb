package when

import "time"

// The Hebrew (Jewish) calendar, computed by the arithmetic rules of the fixed
// calendar as set out in E. M. Reingold and N. Dershowitz, Calendrical
// Calculations (Cambridge University Press), chapter "The Hebrew Calendar":
// the molad of Tishrei in parts, the postponements (dehiyyot) that keep Rosh
// Hashanah off Sunday, Wednesday and Friday, and year lengths of 353-355 or
// 383-385 days. Days are counted as R.D. numbers (day 1 = 1 January of year 1
// of the proleptic Gregorian calendar).
//
// Months are numbered from Nisan (1) as in the book: Tishrei is 7, Kislev 9,
// Shevat 11, Adar 12 (Adar I in a leap year) and Adar II 13.

const (
	hebrewEpoch = -1373427 // R.D. of 1 Tishrei of year 1 (7 October 3761 BCE, Julian)
	rdUnixEpoch = 719163   // R.D. of 1 January 1970
)

// Hebrew months by number.
const (
	nisan   = 1
	iyar    = 2
	sivan   = 3
	av      = 5
	tishrei = 7
	kislev  = 9
	shevat  = 11
	adar    = 12
)

func hebrewLeap(y int) bool { return mod(7*y+1, 19) < 7 }

func mod(a, b int) int { return ((a % b) + b) % b }

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// hebrewElapsed is the number of days from the epoch to the molad of Tishrei
// of year y, moved a day when that day would put Rosh Hashanah on Sunday,
// Wednesday or Friday.
func hebrewElapsed(y int) int {
	months := floorDiv(235*y-234, 19)
	parts := 12084 + 13753*months
	days := 29*months + floorDiv(parts, 25920)
	if mod(3*(days+1), 7) < 3 {
		return days + 1
	}
	return days
}

// hebrewYearDelay keeps year lengths within their allowed ranges.
func hebrewYearDelay(y int) int {
	ny0, ny1, ny2 := hebrewElapsed(y-1), hebrewElapsed(y), hebrewElapsed(y+1)
	switch {
	case ny2-ny1 == 356:
		return 2
	case ny1-ny0 == 382:
		return 1
	}
	return 0
}

// hebrewNewYear is the R.D. of 1 Tishrei of year y.
func hebrewNewYear(y int) int { return hebrewEpoch + hebrewElapsed(y) + hebrewYearDelay(y) }

func hebrewYearDays(y int) int { return hebrewNewYear(y+1) - hebrewNewYear(y) }

func hebrewMonthDays(y, m int) int {
	n := hebrewYearDays(y)
	switch {
	case m == 2 || m == 4 || m == 6 || m == 10 || m == 13:
		return 29
	case m == adar && !hebrewLeap(y):
		return 29
	case m == 8 && n%10 != 5: // Marheshvan is long only in 355- and 385-day years
		return 29
	case m == kislev && n%10 == 3: // Kislev is short in 353- and 383-day years
		return 29
	}
	return 30
}

// hebrewToRD is the R.D. of day d of month m of Hebrew year y.
func hebrewToRD(y, m, d int) int {
	last := 12
	if hebrewLeap(y) {
		last = 13
	}
	rd := hebrewNewYear(y) + d - 1
	if m < tishrei {
		for mm := tishrei; mm <= last; mm++ {
			rd += hebrewMonthDays(y, mm)
		}
		for mm := nisan; mm < m; mm++ {
			rd += hebrewMonthDays(y, mm)
		}
		return rd
	}
	for mm := tishrei; mm < m; mm++ {
		rd += hebrewMonthDays(y, mm)
	}
	return rd
}

func rdDate(rd int) time.Time { return date(1970, 1, 1).AddDate(0, 0, rd-rdUnixEpoch) }

// hebrew is a day of the Hebrew calendar falling in Gregorian year y, moved
// by shift days (-1: the eve, when the Jewish day and the holiday begin at
// sunset). Month adar means Adar II in a leap year, where Purim falls.
// fix, when set, moves the day by its weekday (the postponed fast days and
// memorial days).
func hebrew(m, d, shift int, fix func(time.Weekday) int) func(int) []time.Time {
	return func(y int) []time.Time {
		var out []time.Time
		for hy := y + 3760; hy <= y+3761; hy++ {
			mm := m
			if mm == adar && hebrewLeap(hy) {
				mm = 13
			}
			t := rdDate(hebrewToRD(hy, mm, d))
			if fix != nil {
				t = t.AddDate(0, 0, fix(t.Weekday()))
			}
			t = t.AddDate(0, 0, shift)
			if t.Year() == y {
				out = append(out, t)
			}
		}
		return out
	}
}

// Weekday moves of the Israeli calendar law for Yom HaShoah (27 Nisan) and
// Yom HaAtzmaut (5 Iyar), and the postponed fast of 9 Av.
func shoahFix(wd time.Weekday) int {
	switch wd {
	case time.Friday:
		return -1
	case time.Sunday:
		return 1
	}
	return 0
}

func atzmautFix(wd time.Weekday) int {
	switch wd {
	case time.Friday:
		return -1
	case time.Saturday:
		return -2
	case time.Monday:
		return 1
	}
	return 0
}

func avFix(wd time.Weekday) int {
	if wd == time.Saturday {
		return 1
	}
	return 0
}
