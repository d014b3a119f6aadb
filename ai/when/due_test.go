package when

import (
	"testing"
	"time"
)

// The due-time reading: what a reminder may be set from, what is history and
// what names no single day. Lines of chat in English, Malay and both.
func TestReadDue(t *testing.T) {
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation()) // a Tuesday
	for text, want := range map[string]string{
		// one instant, one day, a deadline, a written window: due
		"jumpa esok pukul 3 petang":           "due 2026-09-23 15:00",
		"hantar laporan sebelum 5pm":          "due 2026-09-22 17:00",
		"meeting at 9 today":                  "due 2026-09-22 09:00",
		"cuti 22-23 Okt, tolong cover":        "due 2026-10-22 00:00",
		"Doktor gigi 3 hari lagi":             "due 2026-09-25 10:00",
		"see you in 2 weeks":                  "no single day",
		"siapkan sebelum hujung minggu ya":    "due 2026-09-26 00:00",
		"setiap Isnin pukul 9 pagi kelas":     "due 2026-09-28 09:00",
		"every mon and wed 7am gym":           "due 2026-09-23 07:00",
		"from 3 to 5pm tomorrow, ok?":         "due 2026-09-23 15:00",
		"nak jumpa Jumaat atau Sabtu petang?": "no single day",
		"jumpa esok pukul 3, Isnin saya cuti": "due 2026-09-23 15:00",
		// history
		"dah bayar semalam":                   "past",
		"Doktor gigi Isnin lepas":             "past",
		"transfer dah buat pukul 3 tadi":      "past",
		"I called him 2 hours ago":            "past",
		"mesyuarat tengah malam tadi ok je":   "past",
		"Hantar laporan 15 Oktober 2025":      "past",
		"pagi tadi aku dah call supplier":     "past",
		"last Christmas we closed early":      "past",
		"kami dah jumpa minggu lepas":         "past",
		"the meeting 2 days ago went well":    "past",
		"Mesyuarat 2 jam yang lalu dah habis": "past",
		// no single day
		"tangguh temujanji ke bulan depan":        "no single day",
		"postpone our dinner to next week":        "no single day",
		"Doktor gigi sebulan lagi":                "no single day",
		"cuti pada bulan Mei":                     "no single day",
		"we plan to renovate next year":           "no single day",
		"Kelas Isnin dan Rabu":                    "no single day",
		"I can come Monday or Tuesday":            "no single day",
		"Kelas Isnin, Rabu dan Jumaat":            "no single day",
		"free on Sat & Sun, which one?":           "no single day",
		"pastikan stok cukup untuk hujung minggu": "no single day",
		"this weekend we go Genting":              "no single day",
		"refund dalam 5 hari bekerja":             "no single day",
		"boleh siap dalam 3 hari kerja":           "no single day",
		"Senaman setiap Isnin pertama":            "no single day",
		"Senaman setiap hari kecuali Ahad":        "no single day",
		"bayar setiap tarikh 5 dan 20":            "no single day",
		"puasa sunat setiap bulan Ramadan":        "no single day",
		// nothing
		"ok noted, thanks!": "none",
	} {
		d := ReadDue(text, ref, Options{})
		got := d.State.String()
		if d.State == DueTime {
			got += " " + d.Time.In(DefaultLocation()).Format("2006-01-02 15:04")
		}
		if got != want {
			t.Errorf("%q = %s (read %q), want %s", text, got, d.Text, want)
		}
	}
}

// Repeats the repeat reader cannot hold are refused, not read wrong; the
// ones it can hold are read as before.
func TestRepeatQualifiersAreRefused(t *testing.T) {
	for _, text := range []string{"Senaman setiap Isnin pertama", "meeting every Friday second week",
		"Senaman setiap hari selain Sabtu", "setiap hari raya kita balik kampung", "setiap bulan Oktober ada audit",
		"bayar setiap tarikh 5 dan 20", "gym every day except Sunday"} {
		if r, ok := ParseRepeat(text); ok {
			t.Errorf("%q read as %s", text, r.RRULE())
		}
		if !UnreadRepeat(text) {
			t.Errorf("%q: not reported as a repeat we cannot read", text)
		}
	}
	for text, want := range map[string]string{"setiap Isnin pukul 9 pagi": "FREQ=WEEKLY;BYDAY=MO",
		"setiap hari pukul 7": "FREQ=DAILY", "tiap-tiap bulan 5hb": "FREQ=MONTHLY;BYMONTHDAY=5",
		"every mon wed fri 7am": "FREQ=WEEKLY;BYDAY=MO,WE,FR"} {
		if r, ok := ParseRepeat(text); !ok || r.RRULE() != want || UnreadRepeat(text) {
			t.Errorf("%q = %s (%v), want %s", text, r.RRULE(), ok, want)
		}
	}
}

// A day without a year falls in the coming twelve months (only the month of
// "29 February" is left in 2013), and an hour past 12 with "pm" and no
// minutes is no clock.
func TestNoDayYearsAwayNorPMPastNoon(t *testing.T) {
	for _, c := range []struct {
		text string
		ref  time.Time
	}{
		{"29 February", time.Date(2013, 8, 10, 0, 0, 0, 0, DefaultLocation())},
		{"jumpa February 29", time.Date(2026, 9, 22, 0, 0, 0, 0, DefaultLocation())},
		{"meeting 14PM", time.Date(2026, 9, 22, 0, 0, 0, 0, DefaultLocation())},
	} {
		if d := ReadDue(c.text, c.ref, Options{}); d.State == DueTime {
			t.Errorf("%q read as due %v (%q)", c.text, d.Time, d.Text)
		}
	}
	ref := time.Date(2027, 9, 22, 0, 0, 0, 0, DefaultLocation())
	for text, want := range map[string]string{"29 Feb": "2028-02-29 00:00", "meeting 15.30pm": "2027-09-22 15:30"} {
		r, ok := Parse(text, ref, Options{})
		if got := r.Time.Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("%q = %s (%v), want %s", text, got, ok, want)
		}
	}
}
