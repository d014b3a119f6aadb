package when

import (
	"strings"
	"testing"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// The new moons of our Moon and Sun fall on the days lunar-go starts the
// Chinese months (both in UTC+8), 2010-2030.
func TestLunarNewMoonsMatchLunarGo(t *testing.T) {
	bad := 0
	for d := date(2010, 1, 1); d.Year() < 2031; d = d.AddDate(0, 0, 1) {
		if calendar.NewSolarFromYmd(d.Year(), int(d.Month()), d.Day()).GetLunar().GetDay() != 1 {
			continue
		}
		endOfDay := jdOf(d.AddDate(0, 0, 1)) - 8.0/24 // midnight after d in UTC+8
		nm := newMoonBefore(endOfDay)
		got := time.Unix(int64((nm-2440587.5)*86400), 0).UTC().Add(8 * time.Hour)
		if got.Format("2006-01-02") != d.Format("2006-01-02") {
			bad++
			t.Errorf("new moon of %s at %s", d.Format("2006-01-02"), got)
		}
	}
	if bad > 0 {
		t.Errorf("%d new moons on another day", bad)
	}
}

// Published days of Hindu festivals (the Indian government's holiday lists
// and the Kerala and West Bengal calendars).
func TestHinduFestivalDaysOfKnownYears(t *testing.T) {
	known := map[string]string{
		"diwali":           "2017-10-19 2018-11-07 2019-10-27 2020-11-14 2021-11-04 2022-10-24 2023-11-12 2025-10-20",
		"holi":             "2018-03-02 2019-03-21 2020-03-10 2021-03-29 2022-03-18 2024-03-25 2025-03-14",
		"ganesh chaturthi": "2018-09-13 2019-09-02 2020-08-22 2021-09-10 2022-08-31 2023-09-19 2024-09-07 2025-08-27",
		"ugadi":            "2018-03-18 2019-04-06 2020-03-25 2021-04-13 2022-04-02 2023-03-22 2024-04-09 2025-03-30",
		"rama navami":      "2018-03-25 2019-04-13 2020-04-02 2021-04-21 2022-04-10 2023-03-30 2024-04-17 2025-04-06",
		"maha shivaratri":  "2018-02-13 2019-03-04 2020-02-21 2021-03-11 2022-03-01 2023-02-18 2024-03-08 2025-02-26",
		"raksha bandhan":   "2018-08-26 2019-08-15 2020-08-03 2021-08-22 2022-08-11 2023-08-30 2024-08-19 2025-08-09",
		"navaratri":        "2018-10-10 2019-09-29 2020-10-17 2021-10-07 2022-09-26 2023-10-15 2024-10-03 2025-09-22",
		"karva chauth":     "2018-10-27 2019-10-17 2020-11-04 2021-10-24 2022-10-13 2023-11-01 2024-10-20 2025-10-10",
		"dhanteras":        "2017-10-17 2018-11-05 2019-10-25 2020-11-13 2021-11-02 2023-11-10 2024-10-29 2025-10-18",
		"onam":             "2017-09-04 2018-08-24 2019-09-11 2020-08-31 2021-08-21 2022-09-08 2023-08-29 2024-09-15 2025-09-05",
		"rabindra jayanti": "2018-05-09 2019-05-09 2020-05-08 2021-05-09",
	}
	holidayNames.once.Do(holidayIndex)
	for name, days := range known {
		h := lookupHoliday(name, "IN")
		if h == nil {
			t.Fatalf("no holiday %q", name)
		}
		for _, d := range strings.Fields(days) {
			want, _ := time.Parse("2006-01-02", d)
			if got := h.days(want.Year()); len(got) == 0 || !got[0].Equal(want) {
				t.Errorf("%s %d = %v, want %s", name, want.Year(), got, d)
			}
		}
	}
}

func TestHinduFestivalsInText(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"holi next year, party at my place!": "2027-03-22",
		"navaratri start bila?":              "2026-10-11",
		"karva chauth this year":             "2026-10-29",
		"2 days after diwali we fly back":    "2026-11-10",
		"cuti ganesh chaturthi 2027":         "2027-09-04",
		"onam sadhya at my place, come ya":   "2027-09-12",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{Country: "IN"})
		if got := r.Time.Format("2006-01-02"); !ok || got != want {
			t.Errorf("%q = %s (%v, %q), want %s", text, got, ok, r.Text, want)
		}
	}
	// names of festivals that are also people's names need a year or "this/next"
	for _, text := range []string{"Rakhi called me, she is fine", "tell Vishu the files are ready"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
	if r, ok := Parse("rakhi 2027 kat rumah nenek", ref, Options{}); !ok || r.Time.Format("2006-01") != "2027-08" {
		t.Errorf("rakhi 2027 = %v %v", r.Time, ok)
	}
}
