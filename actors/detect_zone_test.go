package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
)

// Detection reads "esok pukul 3 petang" in the user's own zone: 3 pm in
// London for a user who set Europe/London, not 3 pm in Kuala Lumpur.
func TestDetectionReadsDatesInTheUsersZone(t *testing.T) {
	cfg := Config{DetectSweep: 50 * time.Millisecond, DueInterval: 50 * time.Millisecond}
	h := newHarnessWith(t, cfg, func(d *Deps) {
		d.Actions = d.Messages.(juta.ActionStore)
		d.Detector = ai.NewRules(ai.Options{})
		d.Zones = d.Messages.(juta.TimeZones)
	})
	ctx := context.Background()
	uid := h.user()
	if _, err := h.db.SetTimeZone(ctx, uid, "Europe/London"); err != nil {
		t.Fatal(err)
	}
	s, err := h.db.CreateSession(ctx, uid, "offline")
	if err != nil {
		t.Fatal(err)
	}
	m := juta.Message{UserID: uid, SessionID: s.ID, Chat: "+60199990031", Sender: "+60199990031",
		WAID: "Z", Text: "jumpa esok pukul 3 petang", SentAt: time.Now()}
	if _, _, _, err := h.db.StoreMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	var actions []juta.Action
	eventually(t, "the meeting", func() bool {
		page, err := h.db.Actions(ctx, uid, juta.ActionFilter{Type: juta.ActionMeeting}, "", 10)
		actions = page.Items
		return err == nil && len(actions) == 1
	})
	london, _ := time.LoadLocation("Europe/London")
	due := actions[0].DueAt
	if due == nil || due.In(london).Hour() != 15 || due.In(london).Minute() != 0 {
		t.Fatalf("due = %v, want 15:00 in London", due)
	}
}

// Detection reads "lepas asar" at the prayer times of the user's own JAKIM
// zone: Kota Kinabalu's Asar, about an hour before Kuala Lumpur's.
func TestDetectionReadsPrayerTimesInTheUsersZone(t *testing.T) {
	cfg := Config{DetectSweep: 50 * time.Millisecond, DueInterval: 50 * time.Millisecond}
	rules := ai.NewRules(ai.Options{})
	h := newHarnessWith(t, cfg, func(d *Deps) {
		d.Actions = d.Messages.(juta.ActionStore)
		d.Detector = rules
		d.Zones = d.Messages.(juta.TimeZones)
	})
	ctx := context.Background()
	uid := h.user()
	kk := "SBH07"
	if _, err := h.db.UpdateSettings(ctx, uid, juta.Settings{PrayerZone: &kk}); err != nil {
		t.Fatal(err)
	}
	s, err := h.db.CreateSession(ctx, uid, "offline")
	if err != nil {
		t.Fatal(err)
	}
	m := juta.Message{UserID: uid, SessionID: s.ID, Chat: "+60199990032", Sender: "+60199990032",
		WAID: "P", Text: "jumpa esok lepas asar", SentAt: time.Now()}
	if _, _, _, err := h.db.StoreMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	var actions []juta.Action
	eventually(t, "the meeting", func() bool {
		page, err := h.db.Actions(ctx, uid, juta.ActionFilter{Type: juta.ActionMeeting}, "", 10)
		actions = page.Items
		return err == nil && len(actions) == 1
	})
	dueIn := func(zone string) time.Time {
		acts, err := rules.Detect(ctx, juta.DetectInput{Message: m, PrayerZone: zone})
		if err != nil || len(acts) == 0 || acts[0].DueAt == nil {
			t.Fatalf("detect in %q: %v %+v", zone, err, acts)
		}
		return *acts[0].DueAt
	}
	want, kl := dueIn("SBH07"), dueIn("WLY01")
	if due := actions[0].DueAt; due == nil || !due.Equal(want) || !kl.After(want.Add(45*time.Minute)) {
		t.Fatalf("due = %v, want Kota Kinabalu's Asar %v (Kuala Lumpur's is %v)", due, want, kl)
	}
}
