package persistence_test

import (
	"slices"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Names are kept per session: an empty field keeps the stored name, a
// chat shows the saved name before the push name, a message its sender's
// saved name, and another user's session neither reads nor writes them.
// A group keeps its subject and participants through joins, leaves and a
// new subject, and its chat shows both.
func TestNamesAndGroupsShowOnChatsAndMessages(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	other := mustUser(t, db)
	ali, abu := "+60111111111", "+60122222222"
	if err := db.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: ali, PushName: "Ali"}, {Address: abu, PushName: "abu123"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: abu, ContactName: "Abu Pembekal"}, {Address: ali}}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveNames(ctx, other.ID, s.ID, []juta.PeerName{{Address: ali, ContactName: "stolen"}}); err == nil {
		t.Fatal("another user wrote names into the session")
	}
	m := msg(s, "W1", "hi")
	m.Chat, m.Sender = abu, abu
	storeMsg(t, db, m)
	m = msg(s, "W2", "hello")
	m.Chat, m.Sender = ali, ali
	storeMsg(t, db, m)

	group := "120363025246125486@g.us"
	subject := "Pelanggan Setia"
	steps := []juta.WAGroup{
		{JID: group, Subject: &subject, Participants: []string{ali, abu}},
		{JID: group, Join: []string{"+60133333333"}, Leave: []string{abu}},
	}
	for _, g := range steps {
		if err := db.ApplyGroup(ctx, u.ID, s.ID, g); err != nil {
			t.Fatal(err)
		}
	}
	vip := "Pelanggan VIP"
	if err := db.ApplyGroup(ctx, u.ID, s.ID, juta.WAGroup{JID: group, Subject: &vip}); err != nil {
		t.Fatal(err)
	}
	m = msg(s, "W3", "jumpa esok")
	m.Chat, m.Sender = group, abu
	storeMsg(t, db, m)

	chats, err := db.Chats(ctx, u.ID, s.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]juta.Chat{}
	for _, c := range chats.Items {
		names[c.Chat] = c
	}
	if names[abu].Name != "Abu Pembekal" || names[ali].Name != "Ali" {
		t.Errorf("chat names %q, %q", names[abu].Name, names[ali].Name)
	}
	if g := names[group]; g.Name != vip || !slices.Equal(g.Participants, []string{ali, "+60133333333"}) {
		t.Errorf("group chat %q with %v", g.Name, g.Participants)
	}
	page, err := db.Messages(ctx, u.ID, s.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		want := map[string]string{abu: "Abu Pembekal", ali: ""}[m.Sender]
		if m.ContactName != want {
			t.Errorf("message from %s shows %q, want %q", m.Sender, m.ContactName, want)
		}
	}
	if otherChats, err := db.Chats(ctx, other.ID, s.ID, "", 10); err == nil && len(otherChats.Items) > 0 {
		t.Fatal("another user reads the session's chats")
	}
}
