package when

import (
	"testing"
	"time"
)

// Forms of voice typing and chat read this round: years in words after a
// holiday, "in the AM/PM", "thu" before a clock, "the March after next", a
// name for a single past day.
func TestSpelledYearsAndChatForms(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := []struct{ country, text, want string }{
		{"", "balik kampung cny two thousand twenty seven", "2027-02-06 00:00"},
		{"", "deepavali twenty twenty seven kita buat open house", "2027-10-28 00:00"},
		{"", "christmas two thousand and thirty", "2030-12-25 00:00"},
		{"", "flight lands at 3 in the AM", "2026-09-23 03:00"},
		{"", "from 3 to 4 in the PM ok", "2026-09-22 15:00"},
		{"", "thu at 8 ok?", "2026-09-24 08:00"},
		{"", "dinner at 730 tonight", "2026-09-22 19:30"},
		{"", "jumpa at 830 pagi esok", "2026-09-23 08:30"},
		{"", "call me at 730 in the evening", "2026-09-22 19:30"},
		{"", "we renovate the March after next", "2028-03-01 00:00"},
		{"US", "remember super duper tuesday?", "2008-02-05 00:00"},
		{"TT", "hosay 2027 procession", "2027-06-15 00:00"},
	}
	for _, c := range cases {
		r, ok := Parse(c.text, ref, Options{Country: c.country})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != c.want {
			t.Errorf("%q = %s (%v, %q), want %s", c.text, got, ok, r.Text, c.want)
		}
	}
	// "two thousand" and a count that is no year stay what they were
	for _, text := range []string{"I owe him two thousand ringgit", "twenty twenty vision"} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
}
