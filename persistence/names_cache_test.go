package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Each node caches saved names per session; a name saved through another
// node (another handle on the same database, with its own cache) shows on
// this node's very next read of every kind (list, search, chats, one
// message), as it does on a message stored now, whose names come by join.
// The user's own messages never take a name, and a session with names is
// deleted whole.
func TestSavedNameFromAnotherNodeShowsOnTheNextRead(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.MustURL(t)
	here, there := openNode(t, dbURL), openNode(t, dbURL)
	ctx := testCtx(t)
	u := mustUser(t, here)
	s := mustSession(t, here, u.ID)
	abu, ali := "+60122222222", "+60111111111"
	from := func(waID, sender string, fromMe bool) juta.Message {
		m := msg(s, waID, "stok ada?")
		m.Chat, m.Sender, m.FromMe = abu, sender, fromMe
		return storeMsg(t, here, m)
	}
	first := from("W1", abu, false)
	from("W2", ali, false)
	from("W3", abu, true) // sent by the user to abu's chat, under abu's address

	for _, name := range []string{"", "Abu Pembekal", "Abu Baru"} {
		if name != "" {
			if err := there.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: abu, ContactName: name}}); err != nil {
				t.Fatal(err)
			}
		}
		for read, msgs := range readsOfSession(t, here, u.ID, s.ID, first.ID) {
			for _, m := range msgs {
				want := map[string]string{abu: name}[m.Sender]
				if m.FromMe {
					want = ""
				}
				if m.ContactName != want {
					t.Errorf("after saving %q: %s shows %q on %s (from me %v), want %q", name, read, m.ContactName, m.WAID, m.FromMe, want)
				}
			}
		}
	}
	if stored := from("W4", abu, false); stored.ContactName != "Abu Baru" {
		t.Errorf("a message stored now shows %q, want %q", stored.ContactName, "Abu Baru")
	}
	if _, err := there.DeleteSession(ctx, u.ID, s.ID); err != nil {
		t.Fatalf("delete a session with names: %v", err)
	}
	if _, err := here.Messages(ctx, u.ID, s.ID, "", 10); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("list of a deleted session: %v, want %s", err, juta.ENOTFOUND)
	}
}

// openNode opens another handle on the database at dbURL, as a node would.
func openNode(t *testing.T, dbURL string) *persistence.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := persistence.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// readsOfSession reads the session's messages every way a client can: the
// list, a search, the chats' last messages and the message id alone.
func readsOfSession(t *testing.T, db *persistence.DB, uid juta.UserID, sid juta.SessionID, id int64) map[string][]juta.Message {
	t.Helper()
	ctx := testCtx(t)
	page, err := db.Messages(ctx, uid, sid, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	found, err := db.SearchMessages(ctx, uid, sid, juta.MessageQuery{Text: "stok"}, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	chats, err := db.Chats(ctx, uid, sid, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	one, err := db.Message(ctx, uid, sid, id)
	if err != nil {
		t.Fatal(err)
	}
	reads := map[string][]juta.Message{"list": page.Items, "search": found.Items, "message": {one}}
	for _, c := range chats.Items {
		reads["chats"] = append(reads["chats"], c.LastMessage)
	}
	if len(page.Items) < 3 || len(found.Items) < 3 || len(reads["chats"]) == 0 {
		t.Fatalf("reads found %d, %d and %d chats", len(page.Items), len(found.Items), len(reads["chats"]))
	}
	return reads
}
