package when

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse checks that no input panics and that every result points at
// the text it came from.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"esok pukul 3 petang", "3-4pm", "15hb Okt", "2/15", "in 1/2h", "dari Isnin hingga Rabu"} {
		f.Add(s)
	}
	ref := time.Date(2026, 9, 22, 9, 15, 0, 0, DefaultLocation())
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range ParseAll(s, ref, Options{}) {
			if r.Start < 0 || r.Stop > len(s) || r.Start > r.Stop || s[r.Start:r.Stop] != r.Text {
				t.Fatalf("bad span %d:%d %q for %q", r.Start, r.Stop, r.Text, s)
			}
			if r.Time.IsZero() {
				t.Fatalf("zero time for %q", s)
			}
		}
		if utf8.ValidString(s) {
			Parse(s, ref, Options{DateOrder: MDY, Prefer: PreferNearest})
		}
	})
}
