package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
)

// zoneHarness runs detection with the rules detector and the users' own
// settings from the store.
func zoneHarness(t *testing.T, rules juta.Detector) *harness {
	cfg := Config{DetectSweep: 50 * time.Millisecond, DueInterval: 50 * time.Millisecond}
	return newHarnessWith(t, cfg, func(d *Deps) {
		d.Actions = d.Messages.(juta.ActionStore)
		d.Detector = rules
		d.Zones = d.Messages.(juta.TimeZones)
	})
}

// detectedMeeting stores text as a message from chat to a new session of uid
// and waits for the one meeting detection draws from it.
func detectedMeeting(t *testing.T, h *harness, uid juta.UserID, chat, text string) (juta.Message, juta.Action) {
	t.Helper()
	ctx := context.Background()
	s, err := h.db.CreateSession(ctx, uid, "offline")
	if err != nil {
		t.Fatal(err)
	}
	m := juta.Message{UserID: uid, SessionID: s.ID, Chat: chat, Sender: chat, WAID: "W" + chat, Text: text, SentAt: time.Now()}
	if _, _, _, err := h.db.StoreMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	var actions []juta.Action
	eventually(t, "the meeting", func() bool {
		page, err := h.db.Actions(ctx, uid, juta.ActionFilter{Type: juta.ActionMeeting}, "", 10)
		actions = page.Items
		return err == nil && len(actions) == 1
	})
	return m, actions[0]
}

// Detection reads "esok pukul 3 petang" in the user's own zone: 3 pm in
// London for a user who set Europe/London, not 3 pm in Kuala Lumpur.
func TestDetectionReadsDatesInTheUsersZone(t *testing.T) {
	h := zoneHarness(t, ai.NewRules(ai.Options{}))
	uid := h.user()
	if _, err := h.db.SetTimeZone(context.Background(), uid, "Europe/London"); err != nil {
		t.Fatal(err)
	}
	_, meeting := detectedMeeting(t, h, uid, "+60199990031", "jumpa esok pukul 3 petang")
	london, _ := time.LoadLocation("Europe/London")
	due := meeting.DueAt
	if due == nil || due.In(london).Hour() != 15 || due.In(london).Minute() != 0 {
		t.Fatalf("due = %v, want 15:00 in London", due)
	}
}

// Detection reads "lepas asar" at the prayer times of the user's own JAKIM
// zone: Kota Kinabalu's Asar, about an hour before Kuala Lumpur's.
func TestDetectionReadsPrayerTimesInTheUsersZone(t *testing.T) {
	rules := ai.NewRules(ai.Options{})
	h := zoneHarness(t, rules)
	uid := h.user()
	kk := "SBH07"
	if _, err := h.db.UpdateSettings(context.Background(), uid, juta.Settings{PrayerZone: &kk}); err != nil {
		t.Fatal(err)
	}
	m, meeting := detectedMeeting(t, h, uid, "+60199990032", "jumpa esok lepas asar")
	dueIn := func(zone string) time.Time {
		acts, err := rules.Detect(context.Background(), juta.DetectInput{Message: m, PrayerZone: zone})
		if err != nil || len(acts) == 0 || acts[0].DueAt == nil {
			t.Fatalf("detect in %q: %v %+v", zone, err, acts)
		}
		return *acts[0].DueAt
	}
	want, kl := dueIn("SBH07"), dueIn("WLY01")
	if due := meeting.DueAt; due == nil || !due.Equal(want) || !kl.After(want.Add(45*time.Minute)) {
		t.Fatalf("due = %v, want Kota Kinabalu's Asar %v (Kuala Lumpur's is %v)", due, want, kl)
	}
}

// Detection reads holiday names as the user's country means them: the same
// "Thanksgiving" line is the fourth Thursday of November for a user in the
// US, and no day for a user in Malaysia (where it names a church service or
// a dinner on any day).
func TestDetectionReadsHolidaysOfTheUsersCountry(t *testing.T) {
	h := zoneHarness(t, ai.NewRules(ai.Options{}))
	const text = "jom datang Thanksgiving dinner kat rumah saya"
	us, my := h.user(), h.user()
	c := "US"
	if _, err := h.db.UpdateSettings(context.Background(), us, juta.Settings{Country: &c}); err != nil {
		t.Fatal(err)
	}
	_, meeting := detectedMeeting(t, h, us, "+60199990033", text)
	due := meeting.DueAt
	if due == nil {
		t.Fatalf("US user: no due time, want Thanksgiving")
	}
	d := due.In(juta.ZoneOrDefault(juta.DefaultZone)) // the user's zone
	if d.Month() != time.November || d.Weekday() != time.Thursday || d.Day() < 22 || d.Day() > 28 {
		t.Fatalf("US user: due %v, want the fourth Thursday of November", d)
	}
	if u, err := h.db.User(context.Background(), my); err != nil || u.Country != juta.DefaultCountry {
		t.Fatalf("new user's country %q (%v), want %s", u.Country, err, juta.DefaultCountry)
	}
	_, meeting = detectedMeeting(t, h, my, "+60199990034", text)
	if meeting.DueAt != nil {
		t.Fatalf("MY user: due %v, want none", meeting.DueAt)
	}
}
