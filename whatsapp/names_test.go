package whatsapp

import (
	"slices"
	"testing"

	"go.mau.fi/whatsmeow/proto/waSyncAction"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

// Names and groups dispatched through a real client reach the session as
// WANames and WAGroup: a push name, an address-book name, a group the
// account joined (whole) and a change of one (subject, who joined, who left).
func TestNamesAndGroupsReachTheSession(t *testing.T) {
	rec := &recorder{}
	c := mustClient(t, mustProvider(t), "", rec.handle)
	ali := types.NewJID("60123456789", types.DefaultUserServer)
	abu := types.NewJID("60198765432", types.DefaultUserServer)
	group := types.NewJID("120363025246125486", types.GroupServer)
	dispatch(c, &events.PushName{JID: ali, NewPushName: "Ali Kedai"})
	dispatch(c, &events.Contact{JID: abu, Action: &waSyncAction.ContactAction{FullName: proto.String("Abu (pembekal)")}})
	dispatch(c, &events.JoinedGroup{GroupInfo: types.GroupInfo{JID: group, GroupName: types.GroupName{Name: "Pelanggan Setia"},
		Participants: []types.GroupParticipant{{JID: ali}, {JID: abu}}}})
	newName := &types.GroupName{Name: "Pelanggan VIP"}
	dispatch(c, &events.GroupInfo{JID: group, Name: newName, Leave: []types.JID{abu}})
	evs := rec.waitEvents(t, 4)
	if n, ok := evs[0].(juta.WANames); !ok || len(n.Names) != 1 || n.Names[0] != (juta.PeerName{Address: "+60123456789", PushName: "Ali Kedai"}) {
		t.Errorf("push name: %#v", evs[0])
	}
	if n, ok := evs[1].(juta.WANames); !ok || len(n.Names) != 1 || n.Names[0] != (juta.PeerName{Address: "+60198765432", ContactName: "Abu (pembekal)"}) {
		t.Errorf("contact name: %#v", evs[1])
	}
	g, ok := evs[2].(juta.WAGroup)
	if !ok || g.JID != group.String() || g.Subject == nil || *g.Subject != "Pelanggan Setia" || len(g.Participants) != 2 || g.Participants[1] != "+60198765432" {
		t.Errorf("joined group: %#v", evs[2])
	}
	g, ok = evs[3].(juta.WAGroup)
	if !ok || g.Subject == nil || *g.Subject != "Pelanggan VIP" || len(g.Leave) != 1 || g.Leave[0] != "+60198765432" || g.Participants != nil {
		t.Errorf("group change: %#v", evs[3])
	}
}

// Roles reach the session from a group's whole info (whatsmeow marks the
// superadmin an admin as well) and from promotions and demotions; a change
// of roles alone is not dropped.
func TestGroupRolesReachTheSession(t *testing.T) {
	rec := &recorder{}
	c := mustClient(t, mustProvider(t), "", rec.handle)
	ali := types.NewJID("60123456789", types.DefaultUserServer)
	abu := types.NewJID("60198765432", types.DefaultUserServer)
	chong := types.NewJID("60133333333", types.DefaultUserServer)
	group := types.NewJID("120363025246125486", types.GroupServer)
	dispatch(c, &events.JoinedGroup{GroupInfo: types.GroupInfo{JID: group, GroupName: types.GroupName{Name: "Pasar"},
		Participants: []types.GroupParticipant{{JID: ali, IsAdmin: true, IsSuperAdmin: true}, {JID: abu, IsAdmin: true}, {JID: chong}}}})
	dispatch(c, &events.GroupInfo{JID: group, Promote: []types.JID{chong}, Demote: []types.JID{abu}})
	dispatch(c, &events.JoinedGroup{GroupInfo: types.GroupInfo{JID: group, GroupName: types.GroupName{Name: "Pasar"},
		Participants: []types.GroupParticipant{{JID: ali}}}})
	evs := rec.waitEvents(t, 3)
	g, ok := evs[0].(juta.WAGroup)
	wantAdmins := []juta.GroupAdmin{{Address: "+60123456789", Role: juta.GroupRoleSuperAdmin}, {Address: "+60198765432", Role: juta.GroupRoleAdmin}}
	if !ok || len(g.Participants) != 3 || !slices.Equal(g.Admins, wantAdmins) {
		t.Errorf("joined group: %#v", evs[0])
	}
	g, ok = evs[1].(juta.WAGroup)
	if !ok || !slices.Equal(g.Promote, []string{"+60133333333"}) || !slices.Equal(g.Demote, []string{"+60198765432"}) ||
		g.Participants != nil || g.Subject != nil {
		t.Errorf("roles changed: %#v", evs[1])
	}
	// A whole list without admins says there are none (not: unknown).
	if g, ok = evs[2].(juta.WAGroup); !ok || g.Admins == nil || len(g.Admins) != 0 {
		t.Errorf("a group without admins: %#v", evs[2])
	}
}
