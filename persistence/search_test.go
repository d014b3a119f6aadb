package persistence_test

import (
	"strings"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestSearchMessages(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	other := mustSession(t, db, mustUser(t, db).ID)

	texts := []string{
		"Jumpa esok pukul 3 petang", // 0
		"Meeting tomorrow at 3pm",   // 1
		"jumpa di kedai, ok?",       // 2
		"100% paid, thanks",         // 3
		"file_name.pdf attached",    // 4
		"JUMPA lagi nanti",          // 5
		"unrelated",                 // 6
		`back\slash jumpa`,          // 7
	}
	ids := make([]int64, len(texts))
	for i, text := range texts {
		m := msg(s, "w"+string(rune('a'+i)), text)
		if i%2 == 1 {
			m.Chat, m.Sender = "+60122222222", "+60122222222"
		}
		stored, _, _, err := db.StoreMessage(ctx, m)
		if err != nil {
			t.Fatalf("store: %v", err)
		}
		ids[i] = stored.ID
	}
	if _, _, _, err := db.StoreMessage(ctx, msg(other, "o", "jumpa from another user")); err != nil {
		t.Fatalf("store: %v", err)
	}

	cases := []struct {
		name string
		q    juta.MessageQuery
		want []int // indexes into texts, newest first
	}{
		{"case-insensitive substring", juta.MessageQuery{Text: "jumpa"}, []int{7, 5, 2, 0}},
		{"percent is literal", juta.MessageQuery{Text: "100%"}, []int{3}},
		{"a lone percent matches only itself", juta.MessageQuery{Text: "%"}, []int{3}},
		{"underscore is literal", juta.MessageQuery{Text: "e_n"}, []int{4}},
		{"backslash is literal", juta.MessageQuery{Text: `k\s`}, []int{7}},
		{"chat filter", juta.MessageQuery{Chat: "+60122222222"}, []int{7, 5, 3, 1}},
		{"chat and text", juta.MessageQuery{Chat: "+60122222222", Text: "JUMPA"}, []int{7, 5}},
		{"no match", juta.MessageQuery{Text: "zzz"}, nil},
		{"no filter lists all", juta.MessageQuery{}, []int{7, 6, 5, 4, 3, 2, 1, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []int64
			cursor := ""
			for range 10 {
				page, err := db.SearchMessages(ctx, u.ID, s.ID, c.q, cursor, 3)
				if err != nil {
					t.Fatalf("search: %v", err)
				}
				for _, m := range page.Items {
					got = append(got, m.ID)
				}
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			var want []int64
			for _, i := range c.want {
				want = append(want, ids[i])
			}
			if len(got) != len(want) {
				t.Fatalf("got ids %v, want %v", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("got ids %v, want %v", got, want)
				}
			}
		})
	}

	_, err := db.SearchMessages(ctx, u.ID, other.ID, juta.MessageQuery{Text: "jumpa"}, "", 0)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.SearchMessages(ctx, u.ID, s.ID, juta.MessageQuery{Text: strings.Repeat("x", 257)}, "", 0)
	wantCode(t, err, juta.EINVALID)
	_, err = db.SearchMessages(ctx, u.ID, s.ID, juta.MessageQuery{}, "%%%", 0)
	wantCode(t, err, juta.EINVALID)
}
