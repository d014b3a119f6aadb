package when

import "testing"

func TestParseRepeat(t *testing.T) {
	cases := map[string]string{
		"gym setiap hari pukul 6 pagi":               "FREQ=DAILY",
		"tiap-tiap malam kena makan ubat":            "FREQ=DAILY",
		"meeting every Monday 9am":                   "FREQ=WEEKLY;BYDAY=MO",
		"class every mondays and wednesdays":         "FREQ=WEEKLY;BYDAY=MO,WE",
		"setiap Isnin, Rabu dan Jumaat ada kelas":    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
		"kelas tuisyen Isnin - Khamis tiap minggu":   "FREQ=WEEKLY",
		"setiap Jumaat sampai Ahad kedai tutup awal": "FREQ=WEEKLY;BYDAY=SU,FR,SA",
		"every 2nd Tuesday we do stock take":         "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
		"every other week ok":                        "FREQ=WEEKLY;INTERVAL=2",
		"bayar sewa tiap-tiap bulan 5hb":             "FREQ=MONTHLY;BYMONTHDAY=5",
		"sewa 15hb setiap bulan":                     "FREQ=MONTHLY;BYMONTHDAY=15",
		"ansuran setiap bulan 15 ribu":               "FREQ=MONTHLY",
		"report bulanan hantar sebelum 3hb":          "FREQ=MONTHLY",
		"cuci aircond 3 bulan sekali":                "FREQ=MONTHLY;INTERVAL=3",
		"servis kereta sekali dalam 6 bulan":         "FREQ=MONTHLY;INTERVAL=6",
		"siram pokok 2 hari sekali":                  "FREQ=DAILY;INTERVAL=2",
		"1x seminggu je cukup":                       "FREQ=WEEKLY",
		"every 14 days":                              "FREQ=WEEKLY;INTERVAL=2",
		"standup on weekdays 9.30":                   "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
		"pasar malam tiap hujung minggu":             "FREQ=WEEKLY;BYDAY=SU,SA",
		"insurance renewal yearly":                   "FREQ=YEARLY",
		"gym every mon wed fri 7am":                  "FREQ=WEEKLY;BYDAY=MO,WE,FR",
		"futsal every tue thu":                       "FREQ=WEEKLY;BYDAY=TU,TH",
	}
	for in, want := range cases {
		r, ok := ParseRepeat(in)
		if got := r.RRULE(); !ok || got != want {
			t.Errorf("%q: got %q (%v), want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"every time I call you no answer", "setiap orang kena bayar", "sekali lagi pls",
		"jumpa hari Isnin", "once I reach home I call", "every 5 minutes the phone rings", "kita jumpa Selasa"} {
		if r, ok := ParseRepeat(in); ok {
			t.Errorf("%q: read %q, want no repeat", in, r.RRULE())
		}
	}
}
