package when

import (
	"strings"
	"testing"
	"time"
)

// Published days of holidays whose names mean different days by country,
// and of the US observances with weekend rules (the IRS filing deadlines of
// 2011-2017, the DC Emancipation Day of each year, Boss's Day on a weekend).
func TestCountryHolidaysOfKnownYears(t *testing.T) {
	known := []struct{ country, name, day string }{
		{"CA", "thanksgiving", "2013-10-14"}, {"CA", "thanksgiving", "2017-10-09"},
		{"CA", "victoria day", "2018-05-21"}, {"CA", "victoria day", "2019-05-20"},
		{"CA", "discovery day", "2018-06-25"}, {"CA", "discovery day", "2020-06-22"},
		{"CA", "family day", "2018-02-19"}, {"CA", "civic holiday", "2013-08-05"},
		{"CA", "labour day", "2012-09-03"}, {"US", "labor day", "2024-09-02"},
		{"US", "tax day", "2011-04-18"}, {"US", "tax day", "2012-04-17"}, {"US", "tax day", "2017-04-18"},
		{"US", "tax day", "2013-04-15"}, {"US", "emancipation day", "2011-04-15"},
		{"US", "emancipation day", "2017-04-17"}, {"US", "national grandparents day", "2019-09-08"},
		{"US", "military spouse day", "2018-05-11"}, {"US", "dst start", "2017-03-12"},
		{"US", "dst end", "2017-11-05"},
		{"GB", "august bank holiday", "2018-08-27"}, {"GB", "mother's day", "2013-03-10"},
		{"IE", "august bank holiday", "2018-08-06"}, {"IE", "labour day", "2013-05-06"},
		{"AU", "labour day", "2013-10-07"}, {"AU", "father's day", "2013-09-01"},
		{"AU", "reconciliation day", "2018-05-28"}, {"NZ", "labour day", "2012-10-22"},
		{"JM", "heroes' day", "2013-10-21"}, {"PH", "national heroes day", "2013-08-26"},
		{"", "boss's day", "2016-10-17"}, {"", "boss's day", "2021-10-15"},
		{"", "admin day", "2010-04-21"}, {"", "admin day", "2016-04-27"}, {"", "admin day", "2019-04-24"},
		{"", "king's day", "2014-04-26"}, {"", "king's day", "2018-04-27"},
		{"", "jumu'atul-wida", "2017-06-23"}, {"", "jumu'atul-wida", "2018-06-08"},
		{"", "lent", "2018-02-14"},
		{"", "labour day", "2026-05-01"}, {"", "thanksgiving", "2026-11-26"},
	}
	holidayNames.once.Do(holidayIndex)
	for _, k := range known {
		var parts []string
		for _, tok := range lex(k.name) {
			parts = append(parts, tok.text)
		}
		h := lookupHoliday(strings.Join(parts, " "), k.country)
		if h == nil {
			t.Fatalf("no holiday %q in %q", k.name, k.country)
		}
		want, _ := time.Parse("2006-01-02", k.day)
		if got := h.days(want.Year()); len(got) == 0 || !got[0].Equal(want) {
			t.Errorf("%s %s %d = %v, want %s", k.country, k.name, want.Year(), got, k.day)
		}
	}
}

// The same chat line means the day of the writer's country.
func TestHolidaysByCountryInText(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := []struct{ country, text, want string }{
		{"CA", "we're doing dinner on thanksgiving", "2026-10-12"},
		{"US", "we're doing dinner on thanksgiving", "2026-11-26"},
		{"", "cuti labour day nanti", "2027-05-01"},
		{"US", "bbq on labor day weekend?", "2027-09-06"},
		{"NZ", "off on labour day", "2026-10-26"},
		{"GB", "back after the august bank holiday", "2027-08-30"},
		{"US", "file the taxes before tax day pls", "2027-04-15"},
		{"", "card for my boss on boss's day", "2026-10-16"},
		{"", "flowers for admin day 2027", "2027-04-21"},
		{"", "no meat during lent", "2027-02-10"},
		{"", "sacrifice feast next year", "2027-05-16"},
		{"", "balik kampung raya in 2 years", "2028-02-26"},
		{"", "we met at christmas 3 years ago", "2023-12-25"},
		{"", "deepavali in 2 months", "2026-11-08"},
		{"US", "last super tuesday", "2024-03-05"},
		{"US", "we voted on super tuesday 2020", "2020-03-03"},
		{"CA", "closed for dominion day", "2027-07-01"},
	}
	for _, c := range cases {
		r, ok := Parse(c.text, ref, Options{Country: c.country})
		if got := r.Time.Format("2006-01-02"); !ok || got != c.want {
			t.Errorf("%s %q = %s (%v), want %s", c.country, c.text, got, ok, c.want)
		}
	}
	for _, text := range []string{"I lent him RM50", "she lent me her car"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
}

// A user in Malaysia does not mean the American Thanksgiving; a user in the
// US or Canada means their own; an unset country keeps the common reading.
func TestThanksgivingByCountry(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	for country, want := range map[string]string{"US": "2026-11-26", "CA": "2026-10-12", "": "2026-11-26", "MY": "none"} {
		got := "none"
		if r, ok := Parse("Thanksgiving dinner at my place", ref, Options{Country: country}); ok {
			got = r.Time.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("country %q: %s, want %s", country, got, want)
		}
	}
}
