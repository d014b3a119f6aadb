package persistence_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Stats counts the user's own messages per hour and per day in the user's
// zone, by hour of the day, actions by type and status, and reply waits;
// another user's rows never count.
func TestStatsAggregates(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	other := mustSession(t, db, mustUser(t, db).ID)
	kl, err := time.LoadLocation("Asia/Kuala_Lumpur")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC) // 18:30 in Kuala Lumpur
	put := func(sess juta.Session, id, chat string, fromMe bool, at time.Time) juta.Message {
		m := msg(sess, id, "hello")
		m.Chat, m.Sender, m.FromMe, m.SentAt = chat, chat, fromMe, at
		if fromMe {
			m.Sender = "me"
		}
		return storeMsg(t, db, m)
	}
	// Chat A: asked at 09:00 and 09:05 UTC, answered at 09:15 (a 15-minute wait),
	// asked again at 10:00, answered at 10:01 (1 minute).
	a1 := put(s, "a1", "+60111111111", false, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	put(s, "a2", "+60111111111", false, time.Date(2026, 12, 7, 9, 5, 0, 0, time.UTC))
	put(s, "a3", "+60111111111", true, time.Date(2026, 12, 7, 9, 15, 0, 0, time.UTC))
	put(s, "a4", "+60111111111", false, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	put(s, "a5", "+60111111111", true, time.Date(2026, 12, 7, 10, 1, 0, 0, time.UTC))
	// Chat B: 17:00 UTC on the 6th is 01:00 on the 7th in Kuala Lumpur; never answered.
	put(s, "b1", "+60122222222", false, time.Date(2026, 12, 6, 17, 0, 0, 0, time.UTC))
	// Another user's message at the same hour must not count.
	put(other, "x1", "+60111111111", false, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	if _, _, _, err := db.SaveDetection(ctx, juta.Detection{Message: a1, Actions: []juta.Action{
		{Type: juta.ActionReplyNeeded, Title: "Reply", Confidence: 0.6},
		{Type: juta.ActionTask, Title: "Task", Confidence: 0.7},
	}}); err != nil {
		t.Fatal(err)
	}

	st, err := db.Stats(ctx, u.ID, kl, now)
	if err != nil {
		t.Fatal(err)
	}
	if st.TimeZone != "Asia/Kuala_Lumpur" || len(st.Hours) != 48 || len(st.Days) != 30 || len(st.BusiestHours) != 24 {
		t.Fatalf("shape: zone %q, %d hours, %d days, %d busiest", st.TimeZone, len(st.Hours), len(st.Days), len(st.BusiestHours))
	}
	hour := func(h int) juta.StatsBucket { // the bucket of h:00 UTC on the 7th
		for _, b := range st.Hours {
			if b.Start.Equal(time.Date(2026, 12, 7, h, 0, 0, 0, time.UTC)) {
				return b
			}
		}
		t.Fatalf("no bucket at %02d:00", h)
		return juta.StatsBucket{}
	}
	if b := hour(9); b.In != 2 || b.Out != 1 {
		t.Errorf("09:00 bucket = %+v, want 2 in, 1 out", b)
	}
	if b := hour(10); b.In != 1 || b.Out != 1 {
		t.Errorf("10:00 bucket = %+v, want 1 in, 1 out", b)
	}
	today := st.Days[len(st.Days)-1]
	if want := time.Date(2026, 12, 7, 0, 0, 0, 0, kl); !today.Start.Equal(want) || today.In != 4 || today.Out != 2 {
		t.Errorf("today = %+v, want start %v, 4 in (b1 is today in Kuala Lumpur), 2 out", today, want)
	}
	if y := st.Days[len(st.Days)-2]; y.In != 0 || y.Out != 0 {
		t.Errorf("yesterday = %+v, want nothing", y)
	}
	if h := st.BusiestHours[17]; h.Messages != 2 { // 09:00 UTC is 17:00 in Kuala Lumpur
		t.Errorf("17:00 = %d, want 2", h.Messages)
	}
	if h := st.BusiestHours[1]; h.Messages != 1 {
		t.Errorf("01:00 = %d, want 1", h.Messages)
	}
	if len(st.Actions) != 2 || st.Actions[0] != (juta.ActionCount{Type: juta.ActionReplyNeeded, Status: juta.ActionPending, Count: 1}) {
		t.Errorf("actions = %+v", st.Actions)
	}
	rt := st.ReplyTime
	if rt.Replies != 2 || rt.MedianSeconds == nil || *rt.MedianSeconds != 480 || rt.P90Seconds == nil || *rt.P90Seconds != 816 {
		t.Errorf("reply time = %+v (median %v, p90 %v), want 2 replies, median 480 s, p90 816 s", rt, deref(rt.MedianSeconds), deref(rt.P90Seconds))
	}
}

// A user with nothing gets empty buckets and no reply figures.
func TestStatsEmpty(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	u := mustUser(t, db)
	st, err := db.Stats(testCtx(t), u.ID, time.UTC, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.ReplyTime.Replies != 0 || st.ReplyTime.MedianSeconds != nil || st.Actions == nil || len(st.Actions) != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
