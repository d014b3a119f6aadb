package when

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/6tail/lunar-go/calendar"
	hijri "github.com/hablullah/go-hijri"
)

// Holidays and festivals as days the parser resolves: Malaysian public
// holidays and festivals in English and Malay, and the common English ones.
//
// Sources of the dates:
//   - Islamic days (Hari Raya Aidilfitri and Aidiladha, Awal Muharram, Maulidur
//     Rasul, Nuzul Al-Quran, Ramadan, Israk Mikraj) from the Umm al-Qura
//     calendar (github.com/hablullah/go-hijri). Malaysia fixes these days by
//     JAKIM's sighting and calculation (MABIMS criteria), which can fall one day
//     after Umm al-Qura: the date is a suggestion to confirm, like every action.
//   - Chinese New Year, Chap Goh Mei and Wesak from the Chinese lunisolar
//     calendar (github.com/6tail/lunar-go): the 1st and 15th of the first month,
//     and for Wesak the full moon of the lunar month that starts on or after
//     19 April (checked against the gazetted days of 2019 to 2025).
//   - Deepavali: Malaysia keeps it on the day before the new moon of the Hindu
//     month of Aippasi/Kartika, the new moon between 18 October and 17 November;
//     the new moon is the first day of a Chinese lunar month (both count days
//     in UTC+8). Checked against the gazetted days of 2021 to 2026 in the tests.
//   - Easter by the Gregorian computus (the "anonymous Gregorian algorithm",
//     Meeus, Astronomical Algorithms, ch. 8); fixed and nth-weekday holidays by
//     their published rules.
//
// Labour Day is 1 May, as in Malaysia (not the first Monday of September).

type holiday struct {
	names []string
	// in returns the holiday's days that fall in Gregorian year y.
	in func(y int) []time.Time
	// end, when set, makes the holiday a span: the day after its last day.
	end func(start time.Time) time.Time
	// country, when set, is the one country (Options.Country) where the
	// names mean this holiday; elsewhere they mean the holiday without one.
	country string
	// once marks a name for a single day ("Super Duper Tuesday", 2008): read
	// as that day even when it is past.
	once bool
	// word marks a name that is also a common word ("lent"): it is read only
	// with a year, "this/next/last" or "during/before/after/until" before it.
	word bool
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func fixed(m time.Month, d int) func(int) []time.Time {
	return func(y int) []time.Time { return []time.Time{date(y, m, d)} }
}

// nthWeekdayOf is the n-th (n < 0: last) weekday wd of month m of year y.
func nthWeekdayOf(y int, m time.Month, wd time.Weekday, n int) time.Time {
	if n < 0 {
		last := date(y, m+1, 0)
		return last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7))
	}
	first := date(y, m, 1)
	return first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(n-1))
}

func nth(m time.Month, wd time.Weekday, n, shift int) func(int) []time.Time {
	return func(y int) []time.Time { return []time.Time{nthWeekdayOf(y, m, wd, n).AddDate(0, 0, shift)} }
}

// easter is Easter Sunday of year y (anonymous Gregorian algorithm).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return date(y, time.Month(month), day)
}

func easterPlus(days int) func(int) []time.Time {
	return func(y int) []time.Time { return []time.Time{easter(y).AddDate(0, 0, days)} }
}

// lunar is a day of the Chinese lunisolar calendar (month, day) in year y.
func lunar(month, day int) func(int) []time.Time {
	return func(y int) []time.Time {
		var out []time.Time
		for _, ly := range []int{y - 1, y} {
			s := calendar.NewLunarFromYmd(ly, month, day).GetSolar()
			if s.GetYear() == y {
				out = append(out, date(s.GetYear(), time.Month(s.GetMonth()), s.GetDay()))
			}
		}
		return out
	}
}

// wesak is the full moon (the 15th day) of the first Chinese lunar month
// that starts on or after 19 April: the 4th month, or the 3rd in a year
// whose leap month came early (2023).
func wesak(y int) []time.Time {
	if d, ok := firstLunarMonthFrom(date(y, 4, 19)); ok {
		return []time.Time{d.AddDate(0, 0, 14)}
	}
	return nil
}

// firstLunarMonthFrom is the first day on or after d that starts a Chinese
// lunar month.
func firstLunarMonthFrom(d time.Time) (time.Time, bool) {
	for i := 0; i < 31; i++ {
		if calendar.NewSolarFromYmd(d.Year(), int(d.Month()), d.Day()).GetLunar().GetDay() == 1 {
			return d, true
		}
		d = d.AddDate(0, 0, 1)
	}
	return time.Time{}, false
}

// deepavali is the day before the new moon that starts a Chinese lunar
// month between 18 October and 17 November.
func deepavali(y int) []time.Time {
	if d, ok := firstLunarMonthFrom(date(y, 10, 18)); ok {
		return []time.Time{d.AddDate(0, 0, -1)}
	}
	return nil
}

// islamic is a day of the Hijri calendar (Umm al-Qura) falling in year y.
func islamic(month, day int) func(int) []time.Time {
	return func(y int) []time.Time {
		var out []time.Time
		start, err := hijri.CreateUmmAlQuraDate(date(y, 1, 1))
		if err != nil {
			return nil
		}
		for hy := start.Year; hy <= start.Year+1; hy++ {
			t := hijri.UmmAlQuraDate{Year: hy, Month: int64(month), Day: int64(day)}.ToGregorian()
			if t.Year() == y {
				out = append(out, date(t.Year(), t.Month(), t.Day()))
			}
		}
		return out
	}
}

// holidayNames maps a holiday name, as tokens joined by spaces, to its
// holiday; names are matched longest first.
var holidayNames struct {
	once  sync.Once
	byKey map[string]*holiday // names without a country
	local map[string]*holiday // "CA thanksgiving": names of one country
	first map[string]bool     // the first word of every name
	max   int                 // most tokens in a name
}

func holidayIndex() {
	holidayNames.byKey = map[string]*holiday{}
	holidayNames.local = map[string]*holiday{}
	holidayNames.first = map[string]bool{}
	all := append(append([]holiday{}, holidays...), countryHolidays...)
	for i := range all {
		h := &all[i]
		for _, n := range h.names {
			toks := lex(n)
			parts := make([]string, len(toks))
			for j, t := range toks {
				parts[j] = t.text
			}
			if h.country != "" {
				holidayNames.local[h.country+" "+strings.Join(parts, " ")] = h
			} else {
				holidayNames.byKey[strings.Join(parts, " ")] = h
			}
			holidayNames.first[parts[0]] = true
			holidayNames.max = max(holidayNames.max, len(toks))
		}
	}
}

// holidayAt reads a holiday name at k, longest first: its holiday and the
// index after it.
func (p *parser) holidayName(k int) (*holiday, int) {
	holidayNames.once.Do(holidayIndex)
	if !holidayNames.first[p.word(k)] {
		return nil, k
	}
	for n := min(holidayNames.max, len(p.toks)-k); n > 0; n-- {
		parts := make([]string, n)
		for j := 0; j < n; j++ {
			parts[j] = p.toks[k+j].text
		}
		if h := lookupHoliday(strings.Join(parts, " "), p.opts.Country); h != nil {
			return h, k + n
		}
	}
	return nil, k
}

// lookupHoliday is the holiday a name means in country: its own day there,
// else the day without a country.
func lookupHoliday(name, country string) *holiday {
	if country != "" {
		country = strings.ToUpper(country)
		if h, ok := holidayNames.local[country+" "+name]; ok {
			return h
		}
		if notADay[country+" "+name] {
			return nil
		}
	}
	return holidayNames.byKey[name]
}

// notADay are names that a user of the country does not use for one day of
// the year: in Malaysia "thanksgiving" is a church service or dinner held
// on any day, not the American holiday. (An unset country keeps the common
// English reading.)
var notADay = map[string]bool{"MY thanksgiving": true, "MY thanksgiving day": true}

// notFestival are words before "raya" where it means "great" or "main":
// "jalan raya" (main road), "pasar raya", "pilihan raya" (election).
var notFestival = map[string]bool{"jalan": true, "pasar": true, "pilihan": true, "bandar": true, "balai": true,
	"gedung": true, "dewan": true, "masjid": true, "kuala": true, "lebuh": true, "lebuhraya": true, "laut": true}

// ordinalDays are the Malay days of a festival: "raya kedua" is its second day.
var ordinalDays = map[string]int{"pertama": 0, "kedua": 1, "ketiga": 2, "keempat": 3, "kelima": 4}

// holidayAt reads "christmas", "next thanksgiving", "raya kedua",
// "Deepavali 2027", "last Christmas" and resolves the day: the next one on or
// after the reference day, or the last one before it after "last"/"lepas",
// or the one of a year that is written.
func (p *parser) holidayAt(k int, g *frame) (int, bool) {
	j, mod := k, wdPlain
	switch p.word(j) {
	case "next", "this", "coming", "upcoming":
		j, mod = j+1, wdNext
	case "last", "past", "previous":
		j, mod = j+1, wdLast
	}
	h, e := p.holidayName(j)
	if h == nil || notFestival[p.word(k-1)] && p.word(j) == "raya" {
		return k, false
	}
	shift := 0
	if d, ok := ordinalDays[p.word(e)]; ok {
		shift, e = d, e+1
	}
	ref := dayStart(p.ref)
	var day time.Time
	y, n, hasYear := p.holidayYear(e)
	if h.word && !hasYear && mod == wdPlain && !p.isWord(k-1, "during", "before", "after", "until", "till", "through", "throughout") {
		return k, false
	}
	if hasYear {
		days := h.days(y)
		if len(days) == 0 {
			return k, false
		}
		day, e = days[0], n
	} else {
		if p.isWord(e, "ni", "ini", "this", "depan") {
			e++
		}
		var ok bool
		day, ok = pickHoliday(h, ref, mod == wdLast)
		if !ok {
			return k, false
		}
	}
	loc := p.opts.Location
	start := time.Date(day.Year(), day.Month(), day.Day()+shift, 0, 0, 0, 0, loc)
	var end time.Time
	if h.end != nil && shift == 0 {
		last := h.end(day)
		end = time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, loc)
	}
	g.setSpan(start, end, Day)
	return e, true
}

// holidayYear reads the year a holiday name is placed in: "2019", "in 2019",
// "of 2016", "next year", "of last year", "tahun depan", "tahun lepas".
func (p *parser) holidayYear(k int) (int, int, bool) {
	if y, e, ok := p.yearAt(k); ok {
		return y, e, true
	}
	if y, e, ok := p.spelledYear(k); ok {
		return y, e, true
	}
	j := k
	if p.isWord(j, "of") {
		j++
	}
	y := p.ref.Year()
	if n, e, ok := p.holidayYearsAway(k); ok {
		return p.ref.AddDate(0, n, 0).Year(), e, true
	}
	switch {
	case p.isWord(j, "next") && p.isWord(j+1, "year"), p.isWord(j, "tahun") && p.isWord(j+1, "depan"):
		return y + 1, j + 2, true
	case p.isWord(j, "last") && p.isWord(j+1, "year"), p.isWord(j, "tahun") && p.isWord(j+1, "lepas", "lalu"):
		return y - 1, j + 2, true
	case p.isWord(j, "this") && p.isWord(j+1, "year"), p.isWord(j, "tahun") && p.isWord(j+1, "ni", "ini"):
		return y, j + 2, true
	}
	return 0, k, false
}

// holidayYearsAway reads a count of years or months that places a holiday's
// year: "in 3 years", "2 years ago", "in a year", "six years hence", "in 9
// months" (the year that month falls in). It returns the months from now.
func (p *parser) holidayYearsAway(k int) (int, int, bool) {
	j, sign := k, 0
	if p.isWord(j, "in", "dalam") {
		j, sign = j+1, 1
	}
	ds, e, ok := p.durationAt(j)
	if !ok || len(ds) != 1 || (ds[0].u != uYear && ds[0].u != uMonth) || ds[0].n != float64(int(ds[0].n)) {
		return 0, k, false
	}
	if s, e2, ok := p.durSuffix(e); ok {
		sign, e = s, e2
	}
	if sign == 0 {
		return 0, k, false
	}
	months := int(ds[0].n) * sign
	if ds[0].u == uYear {
		months *= 12
	}
	return months, e, true
}

// holidayDays caches each holiday's days per year: the lunisolar ones cost
// a few microseconds to compute.
var holidayDays sync.Map // holidayYear -> []time.Time

type holidayYear struct {
	h *holiday
	y int
}

func (h *holiday) days(y int) []time.Time {
	key := holidayYear{h, y}
	if v, ok := holidayDays.Load(key); ok {
		return v.([]time.Time)
	}
	days := h.in(y)
	holidayDays.Store(key, days)
	return days
}

// pickHoliday is the holiday's next day on or after ref, or with past the
// last one before it.
func pickHoliday(h *holiday, ref time.Time, past bool) (time.Time, bool) {
	// most holidays fall every year; a tabled one (Super Tuesday) may be
	// years away
	for _, reach := range []int{1, 8} {
		if d, ok := pickWithin(h, ref, past, reach); ok {
			return d, true
		}
	}
	if h.once && !past {
		return pickWithin(h, ref, true, 40) // a name for one day that is past
	}
	return time.Time{}, false
}

func pickWithin(h *holiday, ref time.Time, past bool, reach int) (time.Time, bool) {
	var days []time.Time
	for y := ref.Year() - reach; y <= ref.Year()+reach; y++ {
		days = append(days, h.days(y)...)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	today := date(ref.Year(), ref.Month(), ref.Day())
	if past {
		for i := len(days) - 1; i >= 0; i-- {
			if days[i].Before(today) {
				return days[i], true
			}
		}
		return time.Time{}, false
	}
	for _, d := range days {
		if !d.Before(today) {
			return d, true
		}
	}
	return time.Time{}, false
}
