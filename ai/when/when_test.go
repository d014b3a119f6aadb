package when

import (
	"testing"
	"time"
)

// ref is Tuesday 22 September 2026, 09:15 in Kuala Lumpur.
var ref = time.Date(2026, 9, 22, 9, 15, 0, 0, DefaultLocation())

func day(m time.Month, d, h, min int) time.Time {
	return time.Date(2026, m, d, h, min, 0, 0, DefaultLocation())
}

func TestParse(t *testing.T) {
	tests := []struct {
		text  string
		want  time.Time
		grain Grain
		span  string
	}{
		{"jumpa esok pukul 3 petang", day(9, 23, 15, 0), Hour, "esok pukul 3 petang"},
		{"meeting with Ali on Friday 10am", day(9, 25, 10, 0), Hour, "Friday 10am"},
		{"lusa", day(9, 24, 0, 0), Day, "lusa"},
		{"semalam", day(9, 21, 0, 0), Day, "semalam"},
		{"today", day(9, 22, 0, 0), Day, "today"},
		{"next Friday", day(10, 2, 0, 0), Day, "next Friday"},
		{"Jumaat ini", day(9, 25, 0, 0), Day, "Jumaat ini"},
		{"hari Isnin", day(9, 28, 0, 0), Day, "hari Isnin"},
		{"3pm", day(9, 22, 15, 0), Hour, "3pm"},
		{"15:00", day(9, 22, 15, 0), Minute, "15:00"},
		{"10.30 pagi esok", day(9, 23, 10, 30), Minute, "10.30 pagi esok"},
		{"tengah hari esok", day(9, 23, 12, 0), Hour, "tengah hari esok"},
		{"awak free tak malam ni?", day(9, 22, 20, 0), Hour, "malam ni"},
		{"15hb Okt", day(10, 15, 0, 0), Day, "15hb Okt"},
		{"15 Oct", day(10, 15, 0, 0), Day, "15 Oct"},
		{"in 2 hours", ref.Add(2 * time.Hour), Hour, "in 2 hours"},
		{"dalam 2 jam", ref.Add(2 * time.Hour), Hour, "dalam 2 jam"},
		{"3 hari lagi", ref.AddDate(0, 0, 3), Day, "3 hari lagi"},
		{"minggu depan", ref.AddDate(0, 0, 7), Week, "minggu depan"},
		{"tmrw 9am pls", day(9, 23, 9, 0), Hour, "tmrw 9am"},
		{"pukul 8 malam", day(9, 22, 20, 0), Hour, "pukul 8 malam"},
		{"pukul 12 tengah malam", day(9, 23, 0, 0), Hour, "pukul 12 tengah malam"},
		{"at 7am", day(9, 23, 7, 0), Hour, "at 7am"}, // 07:00 today has passed
		{"2/10", day(10, 2, 0, 0), Day, "2/10"},
		{"2026-12-01", day(12, 1, 0, 0), Day, "2026-12-01"},
		{"Laporan sebelum Jumaat", day(9, 25, 0, 0), Day, "sebelum Jumaat"},
		{"sat 25 oct", day(10, 25, 0, 0), Day, "sat 25 oct"},
		{"end of month", day(9, 30, 0, 0), Day, "end of month"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := Parse(tt.text, ref, Options{})
			if !ok {
				t.Fatalf("no time found")
			}
			if !got.Time.Equal(tt.want) {
				t.Errorf("time = %v, want %v", got.Time, tt.want)
			}
			if got.Grain != tt.grain {
				t.Errorf("grain = %v, want %v", got.Grain, tt.grain)
			}
			if got.Text != tt.span {
				t.Errorf("span = %q, want %q", got.Text, tt.span)
			}
			if tt.text[got.Start:got.Stop] != got.Text {
				t.Errorf("offsets %d:%d do not cut %q", got.Start, got.Stop, got.Text)
			}
		})
	}
}

func TestParseIntervals(t *testing.T) {
	tests := []struct {
		text       string
		start, end time.Time
	}{
		{"3-4pm", day(9, 22, 15, 0), day(9, 22, 16, 0)},
		{"Mesyuarat pukul 10-11 pagi", day(9, 22, 10, 0), day(9, 22, 11, 0)},
		{"dari Isnin hingga Rabu", day(9, 28, 0, 0), day(9, 30, 0, 0)},
		{"13 to 15 Oct", day(10, 13, 0, 0), day(10, 15, 0, 0)},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.text, ref, Options{})
		if !ok || got.Kind != Interval || !got.Time.Equal(tt.start) || !got.End.Equal(tt.end) {
			t.Errorf("%q: got %v..%v kind %d ok %v, want %v..%v", tt.text, got.Time, got.End, got.Kind, ok, tt.start, tt.end)
		}
	}
}

func TestParseOptions(t *testing.T) {
	us, _ := Parse("2/10", ref, Options{DateOrder: MDY})
	if want := time.Date(2027, 2, 10, 0, 0, 0, 0, DefaultLocation()); !us.Time.Equal(want) {
		t.Errorf("MDY 2/10 = %v, want %v", us.Time, want)
	}
	near, _ := Parse("Monday", ref, Options{Prefer: PreferNearest})
	if want := day(9, 21, 0, 0); !near.Time.Equal(want) {
		t.Errorf("nearest Monday = %v, want %v", near.Time, want)
	}
	utc, _ := Parse("esok pukul 9 pagi", ref, Options{Location: time.UTC})
	if want := time.Date(2026, 9, 23, 9, 0, 0, 0, time.UTC); !utc.Time.Equal(want) {
		t.Errorf("UTC = %v, want %v", utc.Time, want)
	}
}

func TestParseNothing(t *testing.T) {
	for _, text := range []string{
		"ok", "haha", "Makan malam keluarga", "Selamat pagi", "Versi 2.3.4", "Skor 3-1", "Harga 15.30",
		"Beli 3 MacBook", "Tempah hotel 2 malam", "Bayar RM15", "I may come", "32 August", "June 31, 2022",
		"Solat Jumaat", "12.53%", "Telefon 012 345 6789", "Latihan tiga kali dalam seminggu", "",
	} {
		if got, ok := Parse(text, ref, Options{}); ok {
			t.Errorf("%q: read %q as %v, want nothing", text, got.Text, got.Time)
		}
	}
}

func TestParseAllOrder(t *testing.T) {
	all := ParseAll("esok pukul 3, lepas tu Jumaat jumpa lagi", ref, Options{})
	if len(all) != 2 || all[0].Start >= all[1].Start {
		t.Fatalf("got %+v, want two expressions in order", all)
	}
}

func TestGrainNames(t *testing.T) {
	for g := Second; g <= Year; g++ {
		back, ok := ParseGrain(g.String())
		if !ok || back != g {
			t.Errorf("grain %d round trip = %v %v", g, back, ok)
		}
	}
	if _, ok := ParseGrain("fortnight"); ok {
		t.Error("unknown grain accepted")
	}
}
