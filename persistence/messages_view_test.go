package persistence_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A reply shows the message it quotes when the session stores it in the
// same chat, on every read and in its event: id, kind and the first
// characters of its text; a quoted message stored after the reply shows
// too, one of another chat never, and a deleted one shows without text.
func TestRepliesShowTheQuotedMessage(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	ali, abu := "+60111111111", "+60122222222"
	long := strings.Repeat("hantar esok pukul 3 petang ", 10)
	quoted := storeMsg(t, db, msg(s, "Q1", long))

	reply := msg(s, "R1", "ok, esok")
	reply.Sender, reply.FromMe = "+60199999999", true
	reply.Quote = &juta.Quote{WAID: "Q1", Sender: ali}
	stored, ev, _, err := db.StoreMessage(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	want := juta.Quote{ID: quoted.ID, WAID: "Q1", Sender: ali, Kind: juta.KindText, Preview: long[:juta.QuotePreviewLen]}
	var fromEvent juta.Message
	if err := json.Unmarshal(ev.Data, &fromEvent); err != nil {
		t.Fatal(err)
	}
	for what, m := range map[string]juta.Message{"stored": stored, "event": fromEvent, "read": mustMessage(t, db, u.ID, s.ID, stored.ID)} {
		if m.Quote == nil || *m.Quote != want {
			t.Errorf("%s: quote %+v, want %+v", what, m.Quote, want)
		}
	}

	// Quoting what the session does not store yet, and a message id of
	// another chat: the reply names the id alone.
	early := msg(s, "R2", "yang ini?")
	early.Quote = &juta.Quote{WAID: "P1", Sender: "+60199999999"}
	early = storeMsg(t, db, early)
	elsewhere := msg(s, "R3", "salah chat")
	elsewhere.Chat, elsewhere.Sender = abu, abu
	elsewhere.Quote = &juta.Quote{WAID: "Q1", Sender: ali}
	elsewhere = storeMsg(t, db, elsewhere)
	if q := mustMessage(t, db, u.ID, s.ID, early.ID).Quote; q == nil || q.ID != 0 || q.WAID != "P1" || q.Preview != "" {
		t.Errorf("a quote of a message not stored: %+v", q)
	}
	photo := msg(s, "P1", "")
	photo.Sender, photo.FromMe, photo.Content = "+60199999999", true, juta.Content{Kind: juta.KindImage, MIME: "image/jpeg"}
	photo = storeMsg(t, db, photo)
	if q := mustMessage(t, db, u.ID, s.ID, early.ID).Quote; q == nil || q.ID != photo.ID || q.Kind != juta.KindImage {
		t.Errorf("a quote of a message stored later: %+v", q)
	}
	if q := mustMessage(t, db, u.ID, s.ID, elsewhere.ID).Quote; q == nil || q.ID != 0 || q.Preview != "" {
		t.Errorf("a quote read across chats: %+v", q)
	}

	if _, err := db.ApplyChange(ctx, u.ID, s.ID, juta.MessageChange{Kind: juta.ChangeDelete, Chat: ali, Sender: ali,
		WAID: "D1", Targets: []string{"Q1"}, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	page, err := db.Messages(ctx, u.ID, s.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		if m.ID == stored.ID && (m.Quote == nil || m.Quote.ID != quoted.ID || m.Quote.Kind != juta.KindText || m.Quote.Preview != "") {
			t.Errorf("a quote of a deleted message: %+v", m.Quote)
		}
	}
}

// The name the user saved a sender under is on every read of their
// messages, from the names store as it is now: the answer of the store, a
// single read, a search, the message event and a change's event; never on
// the user's own messages.
func TestContactNameOnEveryRead(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	ali := "+60111111111"
	if err := db.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: ali, PushName: "ali", ContactName: "Ali Kedai"}}); err != nil {
		t.Fatal(err)
	}
	stored, ev, _, err := db.StoreMessage(ctx, msg(s, "C1", "dah bayar"))
	if err != nil {
		t.Fatal(err)
	}
	mine := msg(s, "C2", "terima kasih")
	mine.Sender, mine.FromMe = "+60199999999", true
	mine = storeMsg(t, db, mine)
	evs, err := db.ApplyChange(ctx, u.ID, s.ID, juta.MessageChange{Kind: juta.ChangeReaction, Chat: ali, Sender: "+60199999999",
		WAID: "C3", Targets: []string{"C1"}, Text: "👍", At: time.Now()})
	if err != nil || len(evs) != 1 {
		t.Fatalf("reaction: %v, %d events", err, len(evs))
	}
	found, err := db.SearchMessages(ctx, u.ID, s.ID, juta.MessageQuery{Text: "bayar"}, "", 10)
	if err != nil || len(found.Items) != 1 {
		t.Fatalf("search: %v, %d", err, len(found.Items))
	}
	reads := map[string]juta.Message{"stored": stored, "read": mustMessage(t, db, u.ID, s.ID, stored.ID), "search": found.Items[0]}
	for what, data := range map[string][]byte{"message event": ev.Data, "reaction event": evs[0].Data} {
		var m juta.Message
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		reads[what] = m
	}
	for what, m := range reads {
		if m.ContactName != "Ali Kedai" {
			t.Errorf("%s: contactName %q", what, m.ContactName)
		}
	}
	if got := mustMessage(t, db, u.ID, s.ID, mine.ID).ContactName; got != "" {
		t.Errorf("the user's own message names its sender %q", got)
	}
	if err := db.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: ali, ContactName: "Ali Runcit"}}); err != nil {
		t.Fatal(err)
	}
	if got := mustMessage(t, db, u.ID, s.ID, stored.ID).ContactName; got != "Ali Runcit" {
		t.Errorf("after a new saved name: %q", got)
	}
}
