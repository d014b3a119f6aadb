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
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02"); !ok || got != want || r.Grain != Day {
			t.Errorf("%q = %s (%v, %v), want %s", text, got, ok, r.Grain, want)
		}
	}
	for _, text := range []string{"jalan raya sesak teruk", "pasar raya tutup", "pilihan raya negeri"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
}
