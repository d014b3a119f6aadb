package when

import (
	"testing"
	"time"
)

// JAKIM's e-Solat table is not at hand offline, so the test holds what any
// day's times must satisfy in Kuala Lumpur: the order of the prayers, Zohor
// just after solar noon (about 13:10-13:20 all year), and each time within
// the span it takes over the year.
func TestPrayerTimesKualaLumpur(t *testing.T) {
	loc := DefaultLocation()
	spans := map[prayer][2]string{subuh: {"05:35", "06:15"}, zohor: {"12:55", "13:25"}, asar: {"15:55", "16:45"},
		maghrib: {"18:55", "19:35"}, isyak: {"20:05", "20:50"}}
	for _, day := range []time.Time{time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 6, 21, 0, 0, 0, 0, loc), time.Date(2026, 9, 22, 0, 0, 0, 0, loc)} {
		prev := time.Time{}
		for pr := subuh; pr <= isyak; pr++ {
			got, ok := prayerTime(pr, day, KualaLumpur, loc)
			hm := got.Format("15:04")
			if !ok || hm < spans[pr][0] || hm > spans[pr][1] || !got.After(prev) || got.Format("2006-01-02") != day.Format("2006-01-02") {
				t.Errorf("%s prayer %d = %s, want between %s and %s, after the one before", day.Format("2006-01-02"), pr, got, spans[pr][0], spans[pr][1])
			}
			prev = got
		}
	}
}

func TestPrayersInText(t *testing.T) {
	loc := DefaultLocation()
	ref := time.Date(2026, 9, 22, 10, 0, 0, 0, loc)
	day := time.Date(2026, 9, 22, 0, 0, 0, 0, loc)
	at := func(pr prayer, d time.Time) time.Time { t, _ := prayerTime(pr, d, KualaLumpur, loc); return t }
	cases := []struct {
		text string
		want time.Time
		kind Kind
	}{
		{"jumpa lepas zohor", at(zohor, day), OpenAfter},
		{"after Asar ok?", at(asar, day), OpenAfter},
		{"sebelum maghrib kena sampai", at(maghrib, day), OpenBefore},
		{"lepas isyak esok kita bincang", at(isyak, day.AddDate(0, 0, 1)), OpenAfter},
		{"lepas subuh esok", at(subuh, day.AddDate(0, 0, 1)), OpenAfter},
		{"lepas subuh", at(subuh, day.AddDate(0, 0, 1)), OpenAfter}, // today's has passed
	}
	for _, c := range cases {
		r, ok := Parse(c.text, ref, Options{})
		if !ok || !r.Time.Equal(c.want) || r.Kind != c.kind {
			t.Errorf("%q = %v %v (%q), want %v %v", c.text, r.Time, r.Kind, r.Text, c.want, c.kind)
		}
	}
	penang := &Place{Lat: 5.4141, Lng: 100.3288}
	r, _ := Parse("lepas maghrib", ref, Options{Place: penang})
	if kl := at(maghrib, day); !r.Time.After(kl) {
		t.Errorf("Maghrib in Penang %v, want after Kuala Lumpur's %v", r.Time, kl)
	}
}

// Rows of JAKIM's published e-Solat tables (www.e-solat.gov.my): WLY01 on 1
// January 2025 and 2026 and SGR01 on 13 August 2023 as the portal's
// takwimsolat answer gives them, KDH01 on 1 February 2013 from the portal's
// monthly table of that time. The computation is for one town of the zone and
// adds none of JAKIM's precaution (ihtiyat) minutes, so each time may be up
// to three minutes early.
func TestPrayerTimesMatchJAKIMTables(t *testing.T) {
	loc := DefaultLocation()
	shahAlam, alorSetar := Place{Lat: 3.0733, Lng: 101.5185}, Place{Lat: 6.1210, Lng: 100.3670}
	rows := []struct {
		day   string
		place Place
		times [5]string // subuh, zohor, asar, maghrib, isyak
	}{
		{"2026-01-01", KualaLumpur, [5]string{"06:06", "13:19", "16:42", "19:17", "20:31"}},
		{"2025-01-01", KualaLumpur, [5]string{"06:07", "13:20", "16:42", "19:17", "20:31"}},
		{"2023-08-13", shahAlam, [5]string{"06:01", "13:21", "16:38", "19:27", "20:39"}},
		{"2013-02-01", alorSetar, [5]string{"06:17", "13:34", "16:55", "19:29", "20:41"}},
	}
	for _, r := range rows {
		day, _ := time.ParseInLocation("2006-01-02", r.day, loc)
		for i, pr := range []prayer{subuh, zohor, asar, maghrib, isyak} {
			want, _ := time.ParseInLocation("2006-01-02 15:04", r.day+" "+r.times[i], loc)
			got, ok := prayerTime(pr, day, r.place, loc)
			if d := got.Sub(want); !ok || d < -3*time.Minute || d > time.Minute {
				t.Errorf("%s prayer %d = %s, JAKIM's table %s", r.day, pr, got.Format("15:04"), r.times[i])
			}
		}
	}
}
