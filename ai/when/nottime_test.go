package when

import (
	"testing"
	"time"
)

// Lines that look like times to a naive reader but name no single day.
func TestNoSingleDay(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	for _, text := range []string{
		"Percutian 5-3 Mei", "cuti dari 20 hingga 13 Disember", "esok-esok la kita bincang",
		"esok lusa aku bayar", "beli 2 Mac Pro untuk office", "update the app to version 1.10.30",
		"Version: 2.3.1", "new MacBook? no, a Mac mini",
	} {
		if r, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q read as %v (%q)", text, r.Time, r.Text)
		}
	}
	for text, want := range map[string]string{
		"cuti 3-5 Mei":                   "2027-05-03",
		"jumpa 2 Mac":                    "2027-03-02",
		"Doktor gigi Jumaat yang lalu":   "2026-09-18",
		"kelas esok":                     "2026-09-23",
		"Friday's deadline for the form": "2026-09-25",
	} {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02"); !ok || got != want {
			t.Errorf("%q = %s (%v), want %s", text, got, ok, want)
		}
	}
}

func TestTheClockIsNoDay(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	for text, want := range map[string]string{"can you move the 3pm call": "2026-09-22 15:00",
		"the 10.30 slot is taken": "2026-09-22 10:30", "see you on the 3rd": "2026-10-03 00:00"} {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("%q = %s (%v), want %s", text, got, ok, want)
		}
	}
}

func TestIsPast(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	for text, want := range map[string]bool{
		"doktor gigi semalam": true, "Isnin lepas": true, "last christmas": true, "2 hari lalu": true,
		"meeting at 9 today": false, "esok pukul 3": false, "hari ni": false, "minggu ni": false,
	} {
		r, ok := Parse(text, ref, Options{})
		if !ok || IsPast(r, ref) != want {
			t.Errorf("%q: read %v, past %v, want past %v", text, ok, IsPast(r, ref), want)
		}
	}
}
