package when

import (
	"testing"
	"time"
)

// British "half three" is 3:30, and a range that starts in the morning ends
// in the afternoon when its bare end hour is smaller ("8am until 6").
func TestHalfHourAndMorningRangeEnds(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	cases := map[string][2]string{
		"half three?":                {"2026-09-22 15:30", ""},
		"see you at half 5 pm":       {"2026-09-22 17:30", ""},
		"half three tomorrow ok":     {"2026-09-23 15:30", ""},
		"by half 4 pls":              {"2026-09-22 16:30", ""},
		"shop open 8am until 6":      {"2026-09-23 08:00", "2026-09-23 18:00"},
		"kerja esok 8 pagi sampai 6": {"2026-09-23 08:00", "2026-09-23 18:00"},
		"class tmr 11am to 1":        {"2026-09-23 11:00", "2026-09-23 13:00"},
		"meeting 9am to 11 esok":     {"2026-09-23 09:00", "2026-09-23 11:00"},
	}
	checkSpans(t, ref, cases)
	for _, text := range []string{"half 2 kg gula", "tinggal half 3 bulan lagi", "half two days gone"} {
		if r, ok := Parse(text, ref, Options{}); ok && r.Time.Minute() == 30 {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
}
