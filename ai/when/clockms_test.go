package when

import (
	"testing"
	"time"
)

func TestMalayAndChatClockForms(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"pukul 5 kurang suku petang":                          "2026-09-22 16:45",
		"pukul 2 suku":                                        "2026-09-22 14:15",
		"pukul 3 lewat 15 minit":                              "2026-09-22 15:15",
		"datang pukul 3 lebih 10":                             "2026-09-22 15:10",
		"pkl 4 kurang 10 ptg":                                 "2026-09-22 15:50",
		"pkl 12 kurang suku tgh hari":                         "2026-09-22 11:45",
		"see u 9.am tmrw":                                     "2026-09-23 09:00",
		"pkl 8.30 pg esok ada site visit":                     "2026-09-23 08:30",
		"bro esok kul 10 jumpa kat mamak":                     "2026-09-23 10:00",
		"remind me 15 min before the 3pm meeting":             "2026-09-22 14:45",
		"tolong remind saya 15 minit sebelum meeting pukul 3": "2026-09-22 14:45",
		"half an hour before 8pm call me":                     "2026-09-22 19:30",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("%q = %s (%v, %q), want %s", text, got, ok, r.Text, want)
		}
	}
	for _, text := range []string{"interest 6.45 percent", "kadar 3.5 peratus setahun", "score 30/4.85 tadi"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q), want no time", text, r.Time, r.Text)
		}
	}
}

func TestWakeUpHoursAreMorning(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	for text, want := range map[string]string{
		"wake me up at 6.30 tomorrow pls": "2026-09-23 06:30",
		"kejutkan aku pukul 5 esok":       "2026-09-23 05:00",
		"jumpa pukul 5 esok":              "2026-09-23 17:00", // chat's bare 1-6 stays afternoon
	} {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("%q = %s, want %s", text, got, want)
		}
	}
}
