package when

import (
	"testing"
	"time"
)

// dueOf is ReadDue's verdict on text as "none", "past", "no single day" or
// "due 2006-01-02 15:04".
func dueOf(text string, ref time.Time) string {
	d := ReadDue(text, ref, Options{})
	if d.State == DueTime {
		return "due " + d.Time.Format("2006-01-02 15:04")
	}
	return d.State.String()
}

// checkDue runs a table of lines through ReadDue, each rule with lines that
// the rule reads and lines beside them that stay due.
func checkDue(t *testing.T, cases map[string]string) {
	t.Helper()
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation()) // a Tuesday, 10:00
	for text, want := range cases {
		if got := dueOf(text, ref); got != want {
			t.Errorf("%q: %s, want %s", text, got, want)
		}
	}
}

// A number that the words around it make no time: it names a room or a
// seat, says where someone is in a count, counts nights, is part of a
// decimal, pairs two small numbers, is a mistyped year-first date, or waits
// seconds.
func TestNumbersThatAreNoTime(t *testing.T) {
	checkDue(t, map[string]string{
		// a numbered place or thing
		"Jumpa di Bilik 3.14 ya":                              "none",
		"Kelas tambahan di Aras 4.12":                         "none",
		"Boarding at Gate 12.15, don't be late":               "none",
		"book meeting room 2.30 - 3.30":                       "due 2026-09-22 14:30",
		"meeting room 2.30 ok?":                               "due 2026-09-22 14:30",
		"Meet at room 2.30 at 3pm":                            "due 2026-09-22 15:00",
		"jumpa pukul 3.14 petang":                             "due 2026-09-22 15:14",
		"kita ke Seksyen 7, jumpa pukul 8 malam":              "due 2026-09-22 20:00",
		"Rumah aku kat Jalan SS 2/24":                         "none",
		"Pejabat di Jalan 13/6, Seksyen 13":                   "none",
		"Kedai tu dekat Lorong 3/4 je":                        "none",
		"No 12 Jalan 3/4, datang pukul 2":                     "due 2026-09-22 14:00",
		"datang office kami, No 12 Jalan 3/4, pukul 2 petang": "due 2026-09-22 14:00",
		"Jom jalan 3 petang nanti":                            "due 2026-09-22 15:00",
		// a person at a level, a page or a count
		"I'm at 10 now, you?":             "none",
		"we're at 20, almost done":        "none",
		"she is at 8 already":             "none",
		"I'm at 10 - 20 reps per set":     "none",
		"The meeting is at 10":            "due 2026-09-22 10:00",
		"I'm at the clinic at 11":         "due 2026-09-22 11:00",
		"I'll be there at 4, save a seat": "due 2026-09-22 16:00",
		// a count of nights
		"Sewa homestay 3 malam je":         "none",
		"Kami tinggal 2 malam kat Cameron": "none",
		"Hotel murah, 4 malam RM300":       "none",
		"balik 10 malam nanti":             "due 2026-09-22 22:00",
		"kita gerak pukul 2 malam":         "due 2026-09-23 02:00",
		// the tail of a decimal
		"Skor dia 8.1 - 9.45":              "none",
		"Upgrade dari 9.1 - 9.12 ok":       "none",
		"Harga minyak 2.1 - 2.05 sekarang": "none",
		"Dia dapat 3.5 - 4.25 GPA range":   "none",
		// two small numbers, a score, an answer or a date
		"2-3":  "none",
		"3-1":  "none",
		"1-2":  "none",
		"15-2": "due 2027-02-15 00:00",
		// a year-first date with no month in the middle
		"2024-13-01": "none",
		"2026/14/3":  "none",
		"2027.13.12": "none",
		"2026-10-05": "due 2026-10-05 00:00",
		// a wait of seconds
		"refresh in 5s":      "none",
		"siap dalam 20 saat": "none",
		"10 saat lagi":       "none",
		"in 5 minutes":       "due 2026-09-22 10:05",
	})
}

// A time that is no single due time: counted from an event the line does
// not name, a part of the day said twice (an adverb), a weekend something
// comes after, or a clock in a habit, a standing rule or a timetable.
func TestTimesWithNoSingleDueTime(t *testing.T) {
	checkDue(t, map[string]string{
		// counted from an unnamed event
		"Remind me 30 minutes before":     "no single day",
		"I'll call you 10 min before":     "no single day",
		"ok, text me an hour before":      "no single day",
		"remind me 30 minutes before 3pm": "due 2026-09-22 14:30",
		// a part of the day said twice
		"Kenapa call pagi-pagi ni?":  "no single day",
		"Jangan bising malam-malam":  "no single day",
		"Dia suka jogging pagi-pagi": "no single day",
		"esok pagi-pagi kita gerak":  "due 2026-09-23 09:00",
		// after the weekend: the next week, no day named
		"Kita bincang selepas hujung minggu": "no single day",
		"I'll sort it out after the weekend": "no single day",
		"Lepas weekend baru hantar":          "no single day",
		"siapkan sebelum hujung minggu ya":   "due 2026-09-26 00:00",
		// a habit
		"Biasanya saya balik pukul 6":                               "no single day",
		"I usually leave the office at 5":                           "no single day",
		"Selalunya bas sampai pukul 7.30 pagi":                      "no single day",
		"Setiap kali hujan, kedai tu tutup pukul 5":                 "no single day",
		"Whenever you come, call me before 5pm":                     "no single day",
		"Biasanya kita jumpa esok pukul 3, macam biasa":             "due 2026-09-23 15:00",
		"Awak selalu lambat, tapi kali ni datang pukul 3 tau":       "due 2026-09-22 15:00",
		"Thanks, always helpful. Meeting at 3?":                     "due 2026-09-22 15:00",
		"Kelas pukul 8 malam, selalu full":                          "due 2026-09-22 20:00",
		"Biasanya saya lambat, jadi jumpa pukul 3 ok?":              "due 2026-09-22 15:00",
		"tolong hantar sebelum pukul 5, biasanya bos check pukul 6": "due 2026-09-22 17:00",
		"Biasanya aku tak kisah. Jumpa pukul 4 ok?":                 "due 2026-09-22 16:00",
		// a standing rule
		"Borang hendaklah dihantar sebelum pukul 5 petang":  "no single day",
		"Reports must be submitted by 5pm":                  "no single day",
		"Semua pelajar dikehendaki hadir sebelum 7.30 pagi": "no single day",
		"Reports must be submitted by 5pm today":            "due 2026-09-22 17:00",
		// a timetable
		"Opening hours: 9am - 6pm":        "no single day",
		"Waktu operasi 8 pagi - 5 petang": "no single day",
		"Visiting hours 12.30 - 2pm":      "no single day",
		"Do you close at 5 on Saturdays?": "no single day",
		"We open at 9 on weekdays":        "no single day",
		"Klinik buka pukul 8 pagi esok":   "due 2026-09-23 08:00",
	})
}

// A clock after "dah", "sudah", "telah" or "already" whose hour has passed
// today reports what was done then: past, at today's hour, not the next
// day's. A clock still to come is a plan made.
func TestDoneEarlierToday(t *testing.T) {
	checkDue(t, map[string]string{
		"Barang dah sampai pukul 9 pagi":            "past",
		"I already called him at 9":                 "past",
		"Bayaran telah dibuat pada pukul 8.30 pagi": "past",
		"Dia sudah bertolak jam 7":                  "past",
		"dah book pukul 3 petang":                   "due 2026-09-22 15:00",
		"already booked the court for 8pm":          "due 2026-09-22 20:00",
	})
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, DefaultLocation())
	if d := ReadDue("Barang dah sampai pukul 9 pagi", ref, Options{}); !d.Time.Equal(ref.Add(-time.Hour)) {
		t.Errorf("the report is of 09:00 today, got %s", d.Time.Format(time.DateTime))
	}
}
