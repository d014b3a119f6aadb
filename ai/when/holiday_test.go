package when

import (
	"testing"
	"time"
)

// Known days of the Malaysian public holidays (the federal gazette of each
// year, as published by the Prime Minister's Department) that the rules
// must give.
func TestHolidayDaysOfKnownYears(t *testing.T) {
	byName := func(name string) *holiday {
		holidayNames.once.Do(holidayIndex)
		h := holidayNames.byKey[name]
		if h == nil {
			t.Fatalf("no holiday %q", name)
		}
		return h
	}
	known := map[string][]string{
		"cny":       {"2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06"},
		"deepavali": {"2021-11-04", "2022-10-24", "2023-11-12", "2024-10-31", "2025-10-20", "2026-11-08"},
		"wesak":     {"2019-05-19", "2020-05-07", "2021-05-26", "2022-05-15", "2023-05-04", "2024-05-22", "2025-05-12"},
		// Umm al-Qura days; in 2023 and 2025 Malaysia kept Aidilfitri a day later (22 Apr, 31 Mar)
		"hari raya":    {"2022-05-02", "2024-04-10"},
		"merdeka":      {"2026-08-31"},
		"malaysia day": {"2026-09-16"},
		"good friday":  {"2024-03-29", "2025-04-18", "2026-04-03"},
		"thanksgiving": {"2013-11-28", "2024-11-28"},
	}
	for name, days := range known {
		h := byName(name)
		for _, d := range days {
			want, _ := time.Parse("2006-01-02", d)
			got := h.days(want.Year())
			if len(got) == 0 || !got[0].Equal(want) {
				t.Errorf("%s %d = %v, want %s", name, want.Year(), got, d)
			}
		}
	}
}

func TestHolidaysInText(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"balik kampung raya ni":           "2027-03-09",
		"open house raya kedua":           "2027-03-10",
		"jumpa 2 hari lepas raya":         "2027-03-11",
		"cuti CNY nanti":                  "2027-02-06",
		"Deepavali nanti kita pergi Ipoh": "2026-11-08",
		"christmas party":                 "2026-12-25",
		"last christmas we went to Bali":  "2025-12-25",
		"3 days after christmas":          "2026-12-28",
		"three weeks from tomorrow":       "2026-10-14",
		"2 hari sebelum Jumaat":           "2026-09-23",
		"merdeka 2027":                    "2027-08-31",
		"sehari sebelum raya":             "2027-03-08",
		"the day before thanksgiving":     "2026-11-25",
		"seminggu lepas raya":             "2027-03-16",
		"the Monday after Easter":         "2027-03-29",
		"Jumaat sebelum raya kita balik":  "2027-03-05",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02"); !ok || got != want || r.Grain != Day {
			t.Errorf("%q = %s (%v, %v), want %s", text, got, ok, r.Grain, want)
		}
	}
	r, ok := Parse("the week after CNY", ref, Options{})
	if !ok || r.Grain != Week || r.Time.Format("2006-01-02") != "2027-02-08" {
		t.Errorf("the week after CNY = %v %v %v, want the week of Mon 8 Feb 2027", r.Time, r.Grain, ok)
	}
	for _, text := range []string{"jalan raya sesak teruk", "pasar raya tutup", "pilihan raya negeri"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
}

// Published days of the Jewish, Orthodox and Malaysian state holidays. The
// Jewish days are their eves (the Hebrew date begins at sunset): Rosh
// Hashanah 5784 began at sundown on 15 September 2023, Hanukkah 5785 on
// 25 December 2024, Passover 5784 on 22 April 2024.
func TestHolidayDaysOfKnownYearsElsewhere(t *testing.T) {
	known := map[string][]string{
		"rosh hashanah":    {"2018-09-09", "2023-09-15", "2024-10-02", "2025-09-22"},
		"yom kippur":       {"2018-09-18", "2023-09-24", "2024-10-11", "2025-10-01"},
		"passover":         {"2018-03-30", "2023-04-05", "2024-04-22", "2025-04-12"},
		"hanukkah":         {"2018-12-02", "2023-12-07", "2024-12-25", "2025-12-14"},
		"purim":            {"2024-03-23", "2025-03-13"},
		"orthodox easter":  {"2018-04-08", "2023-04-16", "2024-05-05", "2025-04-20"},
		"thaipusam":        {"2024-01-25", "2025-02-11", "2026-02-01"},
		"mothering sunday": {"2024-03-10", "2025-03-30"},
	}
	holidayNames.once.Do(holidayIndex)
	for name, days := range known {
		h := holidayNames.byKey[name]
		if h == nil {
			t.Fatalf("no holiday %q", name)
		}
		for _, d := range days {
			want, _ := time.Parse("2006-01-02", d)
			got := h.days(want.Year())
			if len(got) == 0 || !got[0].Equal(want) {
				t.Errorf("%s %d = %v, want %s", name, want.Year(), got, d)
			}
		}
	}
}

func TestHolidaySpansAndYears(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string][2]string{
		"cuti sepanjang bulan puasa 2027": {"2027-02-08", "2027-03-09"},
		"passover 2025 we fly home":       {"2025-04-12", "2025-04-21"},
		"hanukkah next year":              {"2027-12-24", "2028-01-01"},
		"gawai nanti balik kampung":       {"2027-06-01", "2027-06-03"},
		"raya tahun depan":                {"2027-03-09", ""},
		"raya tahun lepas kita kat Ipoh":  {"2025-03-30", ""},
		"Deepavali in 2027":               {"2027-10-28", ""},
		"christmas of last year":          {"2025-12-25", ""},
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		end := ""
		if !r.End.IsZero() {
			end = r.End.Format("2006-01-02")
		}
		if got := r.Time.Format("2006-01-02"); !ok || got != want[0] || end != want[1] {
			t.Errorf("%q = %s..%s (%v), want %s..%s", text, got, end, ok, want[0], want[1])
		}
	}
	for _, text := range []string{"I lent him RM50", "the harvest was poor"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
}
