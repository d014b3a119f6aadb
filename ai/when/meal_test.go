package when

import (
	"testing"
	"time"
)

// A meal in the message places a bare hour in its part of the day.
func TestMealPlacesBareHour(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string]string{
		"dinner at 7":                          "2026-09-22 19:00",
		"dinner 7.30 esok":                     "2026-09-23 19:30",
		"jom buka puasa pukul 7.15":            "2026-09-22 19:15",
		"supper at 11 mamak":                   "2026-09-22 23:00",
		"sahur pukul 5 ya":                     "2026-09-23 05:00",
		"dinner at 7am (typo?)":                "2026-09-23 07:00",
		"lunch at 1":                           "2026-09-22 13:00",
		"makan malam bersama keluarga pukul 7": "2026-09-22 19:00",
	}
	for text, want := range cases {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("%q = %s (%v), want %s", text, got, ok, want)
		}
	}
	for _, text := range []string{"makan malam keluarga", "dinner was great"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v", text, r.Time)
		}
	}
}
