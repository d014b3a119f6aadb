package when

import (
	"testing"
	"time"
)

// Spans of months, a duration after "after"/"selepas", a day range with a
// clock.
func TestMonthSpansAndCounts(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string][2]string{
		"dari Mei hingga Disember kedai tutup Ahad": {"2027-05-01 00:00", "2027-12-01 00:00"},
		"from December to March we run promo":       {"2026-12-01 00:00", "2027-03-01 00:00"},
		"Nov to Feb 2027 peak season":               {"2026-11-01 00:00", "2027-02-01 00:00"},
		"call me after an hour":                     {"2026-09-22 11:00", ""},
		"selepas 30 minit kita gerak":               {"2026-09-22 10:30", ""},
		"pameran 22-23 Okt pukul 10 pagi":           {"2026-10-22 10:00", "2026-10-23 10:00"},
	}
	checkSpans(t, ref, cases)
	if r, ok := Parse("beli Mac mini to replace the old one", ref, Options{}); ok {
		t.Errorf("Mac mini read as %v", r.Time)
	}
	// Nearest preference: the span that holds the reference.
	r, ok := Parse("from December to May", time.Date(2023, 4, 9, 0, 0, 0, 0, DefaultLocation()), Options{Prefer: PreferNearest})
	if !ok || r.Time.Format("2006-01") != "2022-12" {
		t.Errorf("nearest December to May = %v (%v), want Dec 2022", r.Time, ok)
	}
}

// checkSpans parses each text at ref and checks its start and end (""
// for none), both as "2006-01-02 15:04".
func checkSpans(t *testing.T, ref time.Time, cases map[string][2]string) {
	t.Helper()
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		end := ""
		if !r.End.IsZero() {
			end = r.End.Format("2006-01-02 15:04")
		}
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want[0] || end != want[1] {
			t.Errorf("%q = %s..%s (%v), want %s..%s", text, got, end, ok, want[0], want[1])
		}
	}
}
