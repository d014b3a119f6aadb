package when

import "time"

// Holidays whose name means a different day from one country to another,
// read for Options.Country. Each rule is the one the country's own
// holiday law or official calendar states:
//   - CA: Holidays Act (R.S.C. 1985, c. H-5) for Victoria Day (the Monday
//     before 25 May) and Canada Day; Thanksgiving by the yearly proclamation
//     (second Monday of October since 1957); the provincial holiday acts for
//     the August civic holiday (first Monday), Family Day (third Monday of
//     February), Newfoundland's Memorial Day (1 July), Discovery Day (the
//     Monday nearest 24 June) and Orangemen's Day (12 July); Labour Day by
//     the Canada Labour Code (first Monday of September).
//   - US: 5 U.S.C. 6103 for Labor Day (first Monday of September),
//     Independence Day and the federal days; 36 U.S.C. 115, 125, 117 for
//     Law Day, Loyalty Day and Grandparents Day; D.C. Code 1-612.02 for DC
//     Emancipation Day (16 April, a weekend day moved to the nearest
//     weekday); 26 U.S.C. 7503 for Tax Day (15 April, moved past weekends
//     and DC holidays); 15 U.S.C. 260a (Energy Policy Act of 2005, sec. 110)
//     for daylight saving time (second Sunday of March to first Sunday of
//     November, from 2007).
//   - GB: the Banking and Financial Dealings Act 1971 for the bank holidays
//     (early May: first Monday of May; spring: last Monday of May; summer:
//     last Monday of August); Mother's Day is Mothering Sunday.
//   - IE: the Organisation of Working Time Act 1997 (May Day and August
//     holidays on the first Monday of the month).
//   - AU: the New South Wales Public Holidays Act 2010 for Labour Day (first
//     Monday of October); Father's Day on the first Sunday of September;
//     ACT Holidays Act 1958 for Reconciliation Day (the Monday on or after
//     27 May).
//   - NZ: Holidays Act 2003 (Labour Day, fourth Monday of October).
//   - JM, TT, PH, ZA, IN, BZ: the public holidays acts of each country (Labour
//     Day 23 May in Jamaica and 19 June in Trinidad and Tobago; National
//     Heroes Day on the third Monday of October in Jamaica and the last
//     Monday of August in the Philippines; Independence Day 12 June in the
//     Philippines and 15 August in India; Day of Reconciliation 16 December
//     in South Africa; Garifuna Settlement Day 19 November in Belize).
var countryHolidays = []holiday{
	in("CA", []string{"thanksgiving", "thanksgiving day"}, nth(time.October, time.Monday, 2, 0)),
	in("CA", []string{"labour day", "labor day"}, nth(time.September, time.Monday, 1, 0)),
	in("CA", []string{"memorial day"}, fixed(time.July, 1)),
	in("CA", []string{"victoria day", "sovereign's birthday", "national patriots' day", "national patriots day",
		"patriots' day", "patriots day"}, mondayBefore(time.May, 25)),
	in("CA", []string{"civic holiday", "british columbia day", "bc day", "natal day", "new brunswick day",
		"saskatchewan day", "terry fox day", "heritage day"}, nth(time.August, time.Monday, 1, 0)),
	in("CA", []string{"family day", "islander day", "louis riel day", "nova scotia heritage day"},
		nth(time.February, time.Monday, 3, 0)),
	in("CA", []string{"discovery day"}, mondayNearest(time.June, 24)),
	in("CA", []string{"dominion day"}, fixed(time.July, 1)),
	in("CA", []string{"vimy ridge day"}, fixed(time.April, 9)),
	in("CA", []string{"orangemen's day", "orangemens day", "the glorious twelfth", "glorious twelfth"}, fixed(time.July, 12)),

	in("US", []string{"labor day", "labour day"}, nth(time.September, time.Monday, 1, 0)),
	in("US", []string{"independence day"}, fixed(time.July, 4)),
	in("US", []string{"law day", "loyalty day", "lei day"}, fixed(time.May, 1)),
	in("US", []string{"national grandparents day", "grandparents day", "grandparents' day"}, grandparentsDay),
	in("US", []string{"emancipation day", "dc emancipation day"}, emancipationDay),
	in("US", []string{"tax day"}, taxDay),
	in("US", []string{"super tuesday", "super tue"}, tabled(superTuesdays)),
	{names: []string{"super duper tuesday", "tsunami tuesday", "giga tuesday", "mega giga tuesday"},
		in: tabled(map[int]time.Time{2008: superTuesdays[2008]}), country: "US", once: true},
	in("US", []string{"lincoln's birthday", "lincolns birthday", "lincoln birthday", "lincolns' birthday",
		"abraham lincoln's birthday", "abraham lincoln birthday"}, fixed(time.February, 12)),
	in("US", []string{"military spouse day", "military spouse appreciation day"}, nth(time.May, time.Sunday, 2, -2)),
	in("US", []string{"daylight saving start", "daylight savings start", "daylight saving start day",
		"daylight savings start day", "daylight saving time start", "dst start"}, nth(time.March, time.Sunday, 2, 0)),
	in("US", []string{"daylight saving end", "daylight savings end", "daylight saving end day",
		"daylight savings end day", "daylight saving time end", "dst end"}, nth(time.November, time.Sunday, 1, 0)),

	in("GB", []string{"mother's day", "mothers day", "mother day"}, easterPlus(-21)),
	in("GB", []string{"early may bank holiday", "may day bank holiday", "may bank holiday"}, nth(time.May, time.Monday, 1, 0)),
	in("GB", []string{"spring bank holiday"}, nth(time.May, time.Monday, -1, 0)),
	in("GB", []string{"august bank holiday", "summer bank holiday", "late summer bank holiday"}, nth(time.August, time.Monday, -1, 0)),

	in("IE", []string{"mother's day", "mothers day", "mother day"}, easterPlus(-21)),
	in("IE", []string{"labour day", "labor day", "may day", "may bank holiday"}, nth(time.May, time.Monday, 1, 0)),
	in("IE", []string{"august bank holiday", "summer bank holiday"}, nth(time.August, time.Monday, 1, 0)),

	in("AU", []string{"labour day", "labor day"}, nth(time.October, time.Monday, 1, 0)),
	in("AU", []string{"father's day", "fathers day", "father day"}, nth(time.September, time.Sunday, 1, 0)),
	in("AU", []string{"reconciliation day"}, mondayOnOrAfter(time.May, 27)),
	in("NZ", []string{"labour day", "labor day"}, nth(time.October, time.Monday, 4, 0)),
	in("NZ", []string{"father's day", "fathers day", "father day"}, nth(time.September, time.Sunday, 1, 0)),

	in("JM", []string{"labour day", "labor day"}, fixed(time.May, 23)),
	in("JM", []string{"heroes' day", "heroes day", "national heroes day", "national heroes' day"}, nth(time.October, time.Monday, 3, 0)),
	in("TT", []string{"labour day", "labor day"}, fixed(time.June, 19)),
	in("TT", []string{"indian arrival day"}, fixed(time.May, 30)),
	in("PH", []string{"independence day"}, fixed(time.June, 12)),
	in("PH", []string{"rizal day"}, fixed(time.December, 30)),
	in("PH", []string{"heroes' day", "heroes day", "national heroes day", "national heroes' day"}, nth(time.August, time.Monday, -1, 0)),
	in("ZA", []string{"day of reconciliation", "reconciliation day", "day of the vow", "day of the covenant"}, fixed(time.December, 16)),
	in("ZA", []string{"heroes' day", "heroes day", "kruger day"}, fixed(time.October, 10)),
	in("IN", []string{"independence day"}, fixed(time.August, 15)),
	in("IN", []string{"diwali", "deepavali"}, lunarDay(6, 29, atDusk, 0)),
	in("IN", []string{"shivaji jayanti"}, fixed(time.February, 19)),
	in("BZ", []string{"garifuna settlement day", "settlement day"}, fixed(time.November, 19)),
}

// in is a holiday that its names mean in one country.
func in(country string, names []string, days func(int) []time.Time) holiday {
	return holiday{names: names, in: days, country: country}
}

// mondayBefore is the last Monday before day d of month m.
func mondayBefore(m time.Month, d int) func(int) []time.Time {
	return func(y int) []time.Time {
		t := date(y, m, d).AddDate(0, 0, -1)
		return []time.Time{t.AddDate(0, 0, -((int(t.Weekday()) - int(time.Monday) + 7) % 7))}
	}
}

// mondayOnOrAfter is the first Monday on or after day d of month m.
func mondayOnOrAfter(m time.Month, d int) func(int) []time.Time {
	return func(y int) []time.Time {
		t := date(y, m, d)
		return []time.Time{t.AddDate(0, 0, (int(time.Monday)-int(t.Weekday())+7)%7)}
	}
}

// mondayNearest is the Monday nearest day d of month m.
func mondayNearest(m time.Month, d int) func(int) []time.Time {
	return func(y int) []time.Time {
		t := date(y, m, d)
		back := (int(t.Weekday()) - int(time.Monday) + 7) % 7
		if back <= 3 {
			return []time.Time{t.AddDate(0, 0, -back)}
		}
		return []time.Time{t.AddDate(0, 0, 7-back)}
	}
}

// nearestWeekday moves a Saturday to the Friday before and a Sunday to the
// Monday after.
func nearestWeekday(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, -1)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// grandparentsDay is the first Sunday after Labor Day (36 U.S.C. 125).
func grandparentsDay(y int) []time.Time {
	return []time.Time{nthWeekdayOf(y, time.September, time.Monday, 1).AddDate(0, 0, 6)}
}

// emancipationDay is 16 April, kept on the nearest weekday (D.C. Code
// 1-612.02).
func emancipationDay(y int) []time.Time {
	return []time.Time{nearestWeekday(date(y, time.April, 16))}
}

// taxDay is 15 April, or the next day that is neither a weekend day nor a
// legal holiday in the District of Columbia (26 U.S.C. 7503), where
// Emancipation Day falls.
func taxDay(y int) []time.Time {
	t, dc := date(y, time.April, 15), emancipationDay(y)[0]
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday || t.Equal(dc) {
		t = t.AddDate(0, 0, 1)
	}
	return []time.Time{t}
}

// superTuesdays are the days most US states held their presidential
// primaries and caucuses, from the Federal Election Commission's
// "Federal Elections" reports (2000-2020) and its 2024 primary dates.
// 2008's is the one also called "Super Duper" or "Tsunami Tuesday".
var superTuesdays = map[int]time.Time{
	2000: date(2000, time.March, 7),
	2004: date(2004, time.March, 2),
	2008: date(2008, time.February, 5),
	2012: date(2012, time.March, 6),
	2016: date(2016, time.March, 1),
	2020: date(2020, time.March, 3),
	2024: date(2024, time.March, 5),
}
