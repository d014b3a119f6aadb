package ai

import (
	"context"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// The same "lepas asar" is a different time for a user in Kuala Lumpur and
// one in Kota Kinabalu, on the same date and in the same time zone. JAKIM's
// e-Solat table for WLY01 gives Asar at 16:42 on 1 January 2026; the
// computation may be up to three minutes early (see ai/when). Kota Kinabalu
// lies 14.4° of longitude east of Kuala Lumpur, so the sun (and Asar) comes
// there about 57 minutes earlier by the clock.
func TestPrayerTimeFollowsTheUsersZone(t *testing.T) {
	loc := when.DefaultLocation()
	sent := time.Date(2026, 1, 1, 9, 0, 0, 0, loc)
	due := func(zone string) time.Time {
		acts, err := NewRules(Options{}).Detect(context.Background(), juta.DetectInput{
			Message: juta.Message{Text: "jumpa kat pejabat lepas asar", SentAt: sent}, PrayerZone: zone})
		if err != nil || len(acts) == 0 || acts[0].DueAt == nil {
			t.Fatalf("zone %q: %v %+v", zone, err, acts)
		}
		return *acts[0].DueAt
	}
	kl, kk, def := due("WLY01"), due("SBH07"), due("")
	jakimKL := time.Date(2026, 1, 1, 16, 42, 0, 0, loc)
	if d := jakimKL.Sub(kl); d < 0 || d > 3*time.Minute {
		t.Errorf("Asar in Kuala Lumpur %s, JAKIM's WLY01 table 16:42", kl.Format("15:04"))
	}
	if d := kl.Sub(kk); d < 50*time.Minute || d > 65*time.Minute {
		t.Errorf("Asar in Kota Kinabalu %s, want about 57 minutes before Kuala Lumpur's %s", kk.Format("15:04"), kl.Format("15:04"))
	}
	if !def.Equal(kl) {
		t.Errorf("no zone: %s, want the default zone's %s", def.Format("15:04"), kl.Format("15:04"))
	}
}
