package persistence_test

import (
	"fmt"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Unread counts incoming messages after the reader's marker: marking read
// clears them, a new message raises them again, the sender's own messages
// never count, each reader keeps a marker, and a marker never moves back.
func TestUnreadCountsFollowTheReadMarker(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	other := mustUser(t, db) // a reader the session is shared with
	chat := "+60111111111"
	unread := func(reader juta.UserID) int {
		t.Helper()
		got, err := db.UnreadCounts(ctx, u.ID, reader, s.ID, []string{chat, "+60999"})
		if err != nil {
			t.Fatal(err)
		}
		if got["+60999"] != 0 {
			t.Fatalf("a chat without messages has %d unread", got["+60999"])
		}
		return got[chat]
	}
	first := storeMsg(t, db, msg(s, "W1", "one"))
	storeMsg(t, db, msg(s, "W2", "two"))
	mine := msg(s, "W3", "my reply")
	mine.FromMe, mine.Sender = true, "me"
	storeMsg(t, db, mine)
	if n := unread(u.ID); n != 2 {
		t.Fatalf("unread before reading = %d, want 2", n)
	}
	if err := db.MarkChatRead(ctx, u.ID, u.ID, s.ID, chat, first.ID); err != nil {
		t.Fatal(err)
	}
	if n := unread(u.ID); n != 1 {
		t.Fatalf("unread after reading the first = %d, want 1", n)
	}
	if err := db.MarkChatRead(ctx, u.ID, u.ID, s.ID, chat, 0); err != nil {
		t.Fatal(err)
	}
	if n := unread(u.ID); n != 0 {
		t.Fatalf("unread after reading all = %d, want 0", n)
	}
	if err := db.MarkChatRead(ctx, u.ID, u.ID, s.ID, chat, first.ID); err != nil {
		t.Fatal(err)
	}
	if n := unread(u.ID); n != 0 {
		t.Fatalf("the marker moved back: unread = %d", n)
	}
	if n := unread(other.ID); n != 2 {
		t.Fatalf("another reader's unread = %d, want 2", n)
	}
	storeMsg(t, db, msg(s, "W4", "three"))
	if n := unread(u.ID); n != 1 {
		t.Fatalf("unread after a new message = %d, want 1", n)
	}
	totals, err := db.UnreadTotals(ctx, u.ID)
	if err != nil || len(totals) != 1 || totals[0].SessionID != s.ID || totals[0].Unread != 1 {
		t.Fatalf("totals = %+v, %v", totals, err)
	}
}

// Counts stop at juta.MaxUnread, per chat and in the totals.
func TestUnreadCountsAreCapped(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	for i := range juta.MaxUnread + 5 {
		storeMsg(t, db, msg(s, fmt.Sprint("W", i), "hello"))
	}
	got, err := db.UnreadCounts(ctx, u.ID, u.ID, s.ID, []string{"+60111111111"})
	if err != nil || got["+60111111111"] != juta.MaxUnread {
		t.Fatalf("unread = %v, %v; want %d", got, err, juta.MaxUnread)
	}
	totals, err := db.UnreadTotals(ctx, u.ID)
	if err != nil || len(totals) != 1 || totals[0].Unread != juta.MaxUnread {
		t.Fatalf("totals = %+v, %v", totals, err)
	}
}

// Another user's session is not found, and bad chats are refused.
func TestMarkChatReadRefusals(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	alice, bob := mustUser(t, db), mustUser(t, db)
	s := mustSession(t, db, alice.ID)
	wantCode(t, db.MarkChatRead(ctx, bob.ID, bob.ID, s.ID, "+60111", 0), juta.ENOTFOUND)
	wantCode(t, db.MarkChatRead(ctx, alice.ID, alice.ID, s.ID, "", 0), juta.EINVALID)
	wantCode(t, db.MarkChatRead(ctx, alice.ID, alice.ID, s.ID, "a\x00b", 0), juta.EINVALID)
	if totals, err := db.UnreadTotals(ctx, bob.ID); err != nil || len(totals) != 0 {
		t.Fatalf("bob's totals = %+v, %v", totals, err)
	}
}
