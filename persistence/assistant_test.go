package persistence_test

import (
	"slices"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestFindMessages(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s1, s2 := mustSession(t, db, u.ID), mustSession(t, db, u.ID)
	other := mustSession(t, db, mustUser(t, db).ID)
	day := time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)

	type row struct {
		s          juta.Session
		chat, from string
		text       string
		at         time.Duration
	}
	rows := []row{
		{s1, "+60123456789", "+60123456789", "Jumpa esok pukul 3", 1 * time.Hour},                     // 0
		{s2, "60123456789@s.whatsapp.net", "60123456789@s.whatsapp.net", "Bayar RM50", 2 * time.Hour}, // 1
		{s1, "+60199999999", "+60199999999", "meeting ok", 3 * time.Hour},                             // 2
		{s1, "+60123456789", "me", "ok boss", 26 * time.Hour},                                         // 3
		{other, "+60123456789", "+60123456789", "Jumpa esok secret", 2 * time.Hour},                   // 4
		{s1, "120363@g.us", "+60177777777", "100% jumpa", 4 * time.Hour},                              // 5
		{s2, "+601234567890", "+601234567890", "another person", 30 * time.Hour},                      // 6
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		m := msg(r.s, "f"+string(rune('a'+i)), r.text)
		m.Chat, m.Sender, m.SentAt, m.FromMe = r.chat, r.from, day.Add(r.at), r.from == "me"
		ids[i] = storeMsg(t, db, m).ID
	}
	pick := func(is ...int) []int64 {
		out := []int64{}
		for _, i := range is {
			out = append(out, ids[i])
		}
		return out
	}

	cases := []struct {
		name string
		f    juta.MessageFilter
		want []int64
	}{
		{"all newest first across sessions", juta.MessageFilter{}, pick(6, 3, 5, 2, 1, 0)},
		{"a number never matches a longer one", juta.MessageFilter{Contact: "+60123456789"}, pick(3, 1, 0)},
		{"contact E.164 finds the JID form", juta.MessageFilter{Contact: "+60123456789"}, pick(3, 1, 0)},
		{"local form of the number", juta.MessageFilter{Contact: "012-345 6789"}, pick(3, 1, 0)},
		{"contact matches the sender of a group", juta.MessageFilter{Contact: "60177777777"}, pick(5)},
		{"contact text part of a JID", juta.MessageFilter{Contact: "g.us"}, pick(5)},
		{"exact chat", juta.MessageFilter{Chat: "+60123456789"}, pick(3, 0)},
		{"exact sender", juta.MessageFilter{Sender: "me"}, pick(3)},
		{"text is case-insensitive", juta.MessageFilter{Text: "JUMPA"}, pick(5, 0)},
		{"percent is literal", juta.MessageFilter{Text: "100%"}, pick(5)},
		{"window", juta.MessageFilter{Since: day, Until: day.Add(24 * time.Hour)}, pick(5, 2, 1, 0)},
		{"window and contact", juta.MessageFilter{Contact: "+60123456789", Since: day, Until: day.Add(24 * time.Hour)}, pick(1, 0)},
		{"limit", juta.MessageFilter{Limit: 2}, pick(6, 3)},
		{"nothing", juta.MessageFilter{Contact: "+60111000111"}, pick()},
	}
	for _, tc := range cases {
		got, err := db.FindMessages(ctx, u.ID, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if gotIDs := messageIDs(got); !slices.Equal(gotIDs, tc.want) {
			t.Errorf("%s: ids = %v, want %v", tc.name, gotIDs, tc.want)
		}
		for _, m := range got {
			if m.UserID != u.ID {
				t.Errorf("%s: another user's message %d", tc.name, m.ID)
			}
		}
	}

	long := make([]byte, 257)
	for i := range long {
		long[i] = 'a'
	}
	_, err := db.FindMessages(ctx, u.ID, juta.MessageFilter{Contact: string(long)})
	wantCode(t, err, juta.EINVALID)
}

func TestMessagesByID(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	other := mustSession(t, db, mustUser(t, db).ID)
	a := storeMsg(t, db, msg(s, "a", "one"))
	b := storeMsg(t, db, msg(s, "b", "two"))
	theirs := storeMsg(t, db, msg(other, "c", "not yours"))

	got, err := db.MessagesByID(ctx, u.ID, []int64{b.ID, theirs.ID, 0, a.ID, b.ID, 999999})
	if err != nil {
		t.Fatal(err)
	}
	if ids := messageIDs(got); !slices.Equal(ids, []int64{b.ID, a.ID}) {
		t.Fatalf("ids = %v, want %v", ids, []int64{b.ID, a.ID})
	}
	if got, err := db.MessagesByID(ctx, u.ID, nil); err != nil || len(got) != 0 {
		t.Fatalf("no ids = %v, %v", got, err)
	}
}

func messageIDs(ms []juta.Message) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}
