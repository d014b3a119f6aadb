package when

import (
	"testing"
	"time"
)

// A part of the day said earlier in the clause places a bare hour; Malay
// names a night after the day it leads into; "instead" marks the time meant.
func TestClausePartEveAndInstead(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"malam ni kita jumpa pukul 9":                       "2026-09-22 21:00",
		"tonight we meet at 9":                              "2026-09-22 21:00",
		"esok pagi2 kita gerak pukul 6":                     "2026-09-23 06:00",
		"pagi tadi dia call, jumpa pukul 3":                 "2026-09-22 15:00",
		"majlis tahlil malam Jumaat ni pukul 9":             "2026-09-24 21:00",
		"Jumaat malam pukul 9 kita lepak":                   "2026-09-25 21:00",
		"makan malam Jumaat pukul 8":                        "2026-09-25 20:00",
		"sorry can't make it tmr, can we do thurs instead?": "2026-09-24 00:00",
		"deadline for the tender is 30 Sept 12 noon":        "2026-09-30 12:00",
		"mesyuarat malam ini dari pukul 7 hingga 9":         "2026-09-22 19:00",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("%q = %s (%v, %q), want %s", text, got, ok, r.Text, want)
		}
	}
}

// A bare hour after a deadline word, at the end of a clause, is a clock.
func TestDeadlineHour(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	for _, text := range []string{"hantar sblm 5 ya", "by 5, thanks", "I need it by 5 pls", "before 5 ok"} {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != "2026-09-22 17:00" {
			t.Errorf("%q = %s (%v), want 17:00 today", text, got, ok)
		}
	}
	for _, text := range []string{"before 5 people come", "top 5 before 3 items", "call noonish"} {
		r, ok := Parse(text, ref, Options{})
		if text == "call noonish" {
			if !ok || r.Time.Hour() != 12 {
				t.Errorf("%q = %v (%v), want noon", text, r.Time, ok)
			}
			continue
		}
		if ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
}
