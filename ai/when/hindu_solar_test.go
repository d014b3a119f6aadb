package when

import (
	"testing"
	"time"
)

// Pongal and the Tamil New Year of the Tamil Nadu government's yearly
// lists of public holidays.
func TestSankrantiDaysOfKnownYears(t *testing.T) {
	known := map[float64][]string{
		270: {"2017-01-14", "2018-01-14", "2019-01-15", "2020-01-15", "2021-01-14", "2022-01-14", "2023-01-15",
			"2024-01-15", "2025-01-14"},
		0: {"2017-04-14", "2018-04-14", "2019-04-14", "2021-04-14", "2022-04-14", "2023-04-14", "2025-04-14"},
	}
	for sign, days := range known {
		for _, d := range days {
			want, _ := time.Parse("2006-01-02", d)
			if got := sankranti(sign)(want.Year()); len(got) == 0 || !got[0].Equal(want) {
				t.Errorf("sankranti %v of %d = %v, want %s", sign, want.Year(), got, d)
			}
		}
	}
}

func TestSolarFestivalsInText(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"cuti ponggal nanti balik Ipoh":   "2027-01-15",
		"open house on thai pongal":       "2027-01-15",
		"jumpa 2 hari lepas pongal":       "2027-01-17",
		"mattu pongal we go temple":       "2027-01-16",
		"puthandu dinner at amma's house": "2027-04-14",
		"vaisakhi 2027 parade":            "2027-04-14",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02"); !ok || got != want {
			t.Errorf("%q = %s (%v, %q), want %s", text, got, ok, r.Text, want)
		}
	}
}
