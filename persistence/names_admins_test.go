package persistence_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A group's roles are stored with it and shown on its chat; a chat.updated
// event is logged when, and only when, a role really changed: a promotion
// of an admin or of the superadmin, a demotion of a member or the same list
// again logs nothing; who leaves loses their role.
func TestGroupRolesAreStoredAndLoggedWhenTheyChange(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	ali, abu, chong, group := "+60111111111", "+60122222222", "+60133333333", "120363025246125487@g.us"
	subject := "Pasar Malam"
	super := juta.GroupAdmin{Address: ali, Role: juta.GroupRoleSuperAdmin}
	admin := func(a string) juta.GroupAdmin { return juta.GroupAdmin{Address: a, Role: juta.GroupRoleAdmin} }
	everyone := []string{ali, abu, chong}
	var want []juta.ChatUpdate
	step := func(name string, g juta.WAGroup, logged ...juta.ChatUpdate) {
		t.Helper()
		g.JID = group
		if err := db.ApplyGroup(ctx, u.ID, s.ID, g); err != nil {
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
			if err := json.Unmarshal(ev.Data, &c); err != nil {
				t.Fatal(err)
			}
			got = append(got, c)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: logged %+v, want %+v", name, got, want)
		}
	}
	update := func(admins []juta.GroupAdmin, members []string) juta.ChatUpdate {
		return juta.ChatUpdate{Chat: group, Name: subject, Participants: members, Admins: admins}
	}
	created := update([]juta.GroupAdmin{super, admin(abu)}, everyone)
	created.Joined, created.Promoted = everyone, []string{ali, abu}
	step("a group with its admins", juta.WAGroup{Subject: &subject, Participants: []string{chong, abu, ali},
		Admins: []juta.GroupAdmin{admin(abu), super, {Address: chong, Role: juta.GroupRoleMember}}}, created)
	step("an admin promoted again", juta.WAGroup{Promote: []string{abu}})
	step("the superadmin promoted", juta.WAGroup{Promote: []string{ali}})
	step("a member demoted", juta.WAGroup{Demote: []string{chong}})
	step("the whole list, roles as stored", juta.WAGroup{Participants: everyone,
		Admins: []juta.GroupAdmin{super, admin(abu)}})
	step("the whole list without roles keeps them", juta.WAGroup{Participants: everyone})

	promoted := update([]juta.GroupAdmin{super, admin(abu), admin(chong)}, everyone)
	promoted.Promoted = []string{chong}
	step("a member promoted", juta.WAGroup{Promote: []string{chong}}, promoted)
	demoted := update([]juta.GroupAdmin{super, admin(chong)}, everyone)
	demoted.Demoted = []string{abu}
	step("an admin demoted", juta.WAGroup{Demote: []string{abu}}, demoted)
	left := update([]juta.GroupAdmin{super}, []string{ali, abu})
	left.Left = []string{chong}
	step("an admin leaves", juta.WAGroup{Leave: []string{chong}}, left)
	back := update([]juta.GroupAdmin{super}, everyone)
	back.Joined = []string{chong}
	step("and comes back a member", juta.WAGroup{Join: []string{chong}}, back)

	m := msg(s, "G1", "buka pukul 7")
	m.Chat, m.Sender = group, chong
	storeMsg(t, db, m)
	chats, err := db.Chats(ctx, u.ID, s.ID, "", 10)
	if err != nil || len(chats.Items) != 1 {
		t.Fatalf("chats %+v, %v", chats, err)
	}
	if c := chats.Items[0]; !slices.Equal(c.Admins, []juta.GroupAdmin{super}) || !slices.Equal(c.Participants, everyone) {
		t.Fatalf("the group's chat shows admins %+v of %v", c.Admins, c.Participants)
	}
}
