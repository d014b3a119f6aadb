package when

import (
	"testing"
	"time"
)

func TestDayAndClockWrittenApart(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"tomorrow we can meet between 3 and 5 pm": "2026-09-23 15:00 interval 17:00",
		"petang esok boleh? dlm 5.30":             "2026-09-23 17:30 instant",
		"Jumaat ni, kita jumpa pukul 10 pagi":     "2026-09-25 10:00 instant",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		got := r.Time.Format("2006-01-02 15:04") + " " + map[Kind]string{Instant: "instant", Interval: "interval"}[r.Kind]
		if r.Kind == Interval {
			got += " " + r.End.Format("15:04")
		}
		if !ok || got != want {
			t.Errorf("%q = %s (%q), want %s", text, got, r.Text, want)
		}
	}
}

func TestRescheduledTime(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"can we do 9.30 instead of 10 tomorrow?": "2026-09-23 09:30",
		"pukul 4 petang bukan 3 esok":            "2026-09-23 16:00",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("%q = %s (%q), want %s", text, got, r.Text, want)
		}
	}
}
