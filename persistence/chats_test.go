package persistence_test

import (
	"fmt"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestChatsNewestActivityFirst(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	other := mustSession(t, db, mustUser(t, db).ID)

	empty, err := db.Chats(ctx, u.ID, s.ID, "", 0)
	if err != nil || len(empty.Items) != 0 || empty.NextCursor != "" {
		t.Fatalf("empty session chats = %+v, %v", empty, err)
	}
	// Five chats; chat 2 then chat 0 get the latest messages.
	store := func(sess juta.Session, chat int, waID, text string) juta.Message {
		m := msg(sess, waID, text)
		m.Chat = fmt.Sprintf("+6011000000%d", chat)
		m.Sender = m.Chat
		stored, _, _, err := db.StoreMessage(ctx, m)
		if err != nil {
			t.Fatalf("store: %v", err)
		}
		return stored
	}
	for i := range 5 {
		store(s, i, fmt.Sprintf("a%d", i), "first")
	}
	store(s, 2, "b2", "later in chat 2")
	last := store(s, 0, "b0", "latest of all")
	store(other, 0, "x", "another user's chat")

	want := []string{"+60110000000", "+60110000002", "+60110000004", "+60110000003", "+60110000001"}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := db.Chats(ctx, u.ID, s.ID, cursor, 2)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, c := range page.Items {
			got = append(got, c.Chat)
			if c.SessionID != s.ID || c.LastMessage.Chat != c.Chat {
				t.Errorf("chat %+v does not match its last message", c)
			}
		}
		if pages == 0 && page.Items[0].LastMessage.ID != last.ID {
			t.Errorf("first chat's last message = %+v, want %+v", page.Items[0].LastMessage, last)
		}
		if page.NextCursor == "" {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		cursor = page.NextCursor
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("chats = %v, want %v", got, want)
	}

	_, err = db.Chats(ctx, u.ID, other.ID, "", 0)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.Chats(ctx, u.ID, s.ID, "!!", 0)
	wantCode(t, err, juta.EINVALID)
}
