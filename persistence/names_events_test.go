package persistence_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Names and groups log a chat.updated event of the session when, and only
// when, what the session knows of a chat changed: a name or a group
// reported again, a member who joins again or a subject set to itself logs
// nothing.
func TestNameAndGroupChangesAreLoggedOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	ali, abu, group := "+60111111111", "+60122222222", "120363025246125486@g.us"
	subject, vip := "Pelanggan Setia", "Pelanggan VIP"
	var want []juta.ChatUpdate
	step := func(name string, err error, logged ...juta.ChatUpdate) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want = append(want, logged...)
		evs, err := db.EventsAfter(ctx, u.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []juta.ChatUpdate
		for _, ev := range evs {
			var c juta.ChatUpdate
			if ev.Type != juta.EventChatUpdated || ev.SessionID != s.ID || json.Unmarshal(ev.Data, &c) != nil {
				t.Fatalf("%s: event %s of session %d: %s", name, ev.Type, ev.SessionID, ev.Data)
			}
			got = append(got, c)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: logged %+v, want %+v", name, got, want)
		}
	}
	step("a push name", db.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: ali, PushName: "Ali"}}),
		juta.ChatUpdate{Chat: ali, Name: "Ali", PushName: "Ali"})
	step("the same push name", db.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: ali, PushName: "Ali"}}))
	step("a saved name", db.SaveNames(ctx, u.ID, s.ID, []juta.PeerName{{Address: ali, ContactName: "Ali Kedai"}, {Address: abu}}),
		juta.ChatUpdate{Chat: ali, Name: "Ali Kedai", PushName: "Ali", ContactName: "Ali Kedai"})
	step("a group", db.ApplyGroup(ctx, u.ID, s.ID, juta.WAGroup{JID: group, Subject: &subject, Participants: []string{abu, ali, ali}}),
		juta.ChatUpdate{Chat: group, Name: subject, Participants: []string{ali, abu}, Joined: []string{ali, abu}})
	step("the same subject, a member joining again", db.ApplyGroup(ctx, u.ID, s.ID, juta.WAGroup{JID: group, Subject: &subject, Join: []string{ali}}))
	step("a member leaving", db.ApplyGroup(ctx, u.ID, s.ID, juta.WAGroup{JID: group, Leave: []string{abu}}),
		juta.ChatUpdate{Chat: group, Name: subject, Participants: []string{ali}, Left: []string{abu}})
	step("a new subject", db.ApplyGroup(ctx, u.ID, s.ID, juta.WAGroup{JID: group, Subject: &vip}),
		juta.ChatUpdate{Chat: group, Name: vip, Participants: []string{ali}})
	step("the whole list again", db.ApplyGroup(ctx, u.ID, s.ID, juta.WAGroup{JID: group, Participants: []string{ali}}))
}
