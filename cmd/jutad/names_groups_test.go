package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

type namedChat struct {
	Chat         string
	Name         string
	Participants []string
	LastMessage  struct {
		Sender, SenderName, ContactName, Text string
	}
}

func chatsOf(t *testing.T, c *client, sid int64) map[string]namedChat {
	t.Helper()
	var page struct{ Items []namedChat }
	if code := call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/chats", c.base, sid), c.token, nil, &page); code != http.StatusOK {
		t.Fatalf("chats: %d", code)
	}
	out := map[string]namedChat{}
	for _, ch := range page.Items {
		out[ch.Chat] = ch
	}
	return out
}

// Through a real node and the simulator: a contact's push name and the
// name the user saved them under (the phone's address-book sync) show on
// the chat and its messages; a group the contact creates keeps its subject
// and members through a rename and a member leaving, its messages carry
// their sender, and the user's message and photo to the group reach every
// member.
func TestNamesAndGroupsEndToEnd(t *testing.T) {
	ownerPhone, ali, abu := "+60123464001", "+60123464002", "+60123464003"
	e := linkOwner(t, ownerPhone, sendPacing...)
	simP, owner, s := e.sim, e.owner, e.session
	post := func(phone, action string, body any) map[string]any {
		t.Helper()
		var out map[string]any
		if code := call(t, "POST", phoneURL(simP.addr, phone, action), "", body, &out); code != 200 {
			t.Fatalf("%s %s: status %d", phone, action, code)
		}
		return out
	}
	post(ali, "messages", map[string]string{"to": ownerPhone, "text": "salam", "name": "Ali"})
	eventually(t, 20*time.Second, "ali's push name on the chat", func() bool { return chatsOf(t, owner, s.ID)[ali].Name == "Ali" })
	post(ownerPhone, "contacts", map[string]any{"contacts": []map[string]string{{"phone": ali, "name": "Ali Kedai Runcit"}}})
	eventually(t, 20*time.Second, "the saved name on the chat", func() bool {
		c := chatsOf(t, owner, s.ID)[ali]
		return c.Name == "Ali Kedai Runcit" && c.LastMessage.ContactName == "Ali Kedai Runcit" && c.LastMessage.SenderName == "Ali"
	})

	group := post(ali, "groups", map[string]any{"subject": "Pelanggan Setia", "participants": []string{ownerPhone, abu}})["jid"].(string)
	post(abu, "messages", map[string]string{"to": group, "text": "jumpa esok di kedai"})
	eventually(t, 20*time.Second, "the group chat with its sender", func() bool {
		c := chatsOf(t, owner, s.ID)[group]
		return c.Name == "Pelanggan Setia" && len(c.Participants) == 3 && c.LastMessage.Sender == abu && c.LastMessage.Text == "jumpa esok di kedai"
	})
	call(t, "POST", phoneURL(simP.addr, ali, "groups/"+group), "", map[string]any{"subject": "Pelanggan VIP", "remove": []string{abu}}, nil)
	eventually(t, 20*time.Second, "the renamed group without abu", func() bool {
		c := chatsOf(t, owner, s.ID)[group]
		want := []string{ali, ownerPhone}
		slices.Sort(c.Participants)
		slices.Sort(want)
		return c.Name == "Pelanggan VIP" && slices.Equal(c.Participants, want)
	})

	if code, body := owner.sendAs(s.ID, "group-1", map[string]string{"to": group, "text": "terima kasih semua"}); code != 201 {
		t.Fatalf("send to group: %d %s", code, body)
	}
	var got []inboxItem
	for _, it := range inbox(t, simP.addr, ali) {
		if it.Text == "terima kasih semua" {
			got = append(got, it)
		}
	}
	if len(got) != 1 {
		t.Fatalf("ali got the group message %d times", len(got))
	}
}

// Through a real node and the simulator: a group's admins show on its
// chat, and a viewer of the shared session sees one chat.updated on its
// WebSocket for each real change of roles: the creator is the superadmin,
// a promotion counts once, the same promotion again not at all, a demotion
// once. (Events arrive in cursor order, so the rename after them bounds
// what came before without waiting for silence.)
func TestGroupAdminsEndToEnd(t *testing.T) {
	ownerPhone, viewerPhone, ali, abu := "+60123465001", "+60123465002", "+60123465003", "+60123465004"
	e := linkOwner(t, ownerPhone)
	simP, base, owner, s := e.sim, e.base, e.owner, e.session
	viewer := register(t, base, viewerPhone)
	ws := viewer.openSocket(t)
	shares := fmt.Sprintf("%s/api/sessions/%d/shares", base, s.ID)
	if code := call(t, "POST", shares, owner.token, map[string]string{"phoneNumber": viewerPhone, "role": "viewer"}, nil); code != 201 {
		t.Fatalf("share: status %d", code)
	}
	eventually(t, 20*time.Second, "the share notice", func() bool { return ws.has("share.granted") })
	post := func(phone, action string, body any) map[string]any {
		t.Helper()
		var out map[string]any
		if code := call(t, "POST", phoneURL(simP.addr, phone, action), "", body, &out); code != 200 {
			t.Fatalf("%s %s: status %d", phone, action, code)
		}
		return out
	}
	type update struct {
		Admins            []struct{ Address, Role string }
		Promoted, Demoted []string
		Name              string
	}
	updates := func(n int) []update {
		t.Helper()
		var out []update
		eventually(t, 20*time.Second, fmt.Sprintf("%d chat.updated on the viewer's socket", n), func() bool {
			return len(ws.sharedOf("chat.updated")) >= n
		})
		for _, d := range ws.sharedOf("chat.updated") {
			var u update
			if err := json.Unmarshal(d, &u); err != nil {
				t.Fatal(err)
			}
			out = append(out, u)
		}
		return out
	}

	group := post(ali, "groups", map[string]any{"subject": "Pasar Malam", "participants": []string{ownerPhone, abu}})["jid"].(string)
	if u := updates(1); len(u[0].Admins) != 1 || u[0].Admins[0].Address != ali || u[0].Admins[0].Role != "superadmin" {
		t.Fatalf("the new group's update: %+v", u[0])
	}
	change := func(body map[string]any) { post(ali, "groups/"+group, body) }
	change(map[string]any{"promote": []string{abu}})
	change(map[string]any{"promote": []string{abu}}) // no change
	change(map[string]any{"promote": []string{ali}}) // the superadmin stays one
	change(map[string]any{"demote": []string{abu}})
	change(map[string]any{"subject": "Pasar Pagi"})
	u := updates(4)
	if len(u) != 4 || !slices.Equal(u[1].Promoted, []string{abu}) || len(u[1].Admins) != 2 ||
		!slices.Equal(u[2].Demoted, []string{abu}) || len(u[2].Admins) != 1 || u[3].Name != "Pasar Pagi" {
		t.Fatalf("the viewer saw %+v, want the creation, one promotion, one demotion and the rename", u)
	}

	change(map[string]any{"promote": []string{abu}})
	post(abu, "messages", map[string]string{"to": group, "text": "buka pukul 7"})
	eventually(t, 20*time.Second, "the group chat with its admins", func() bool {
		var page struct {
			Items []struct {
				Chat   string
				Admins []struct{ Address, Role string }
			}
		}
		if call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/chats", base, s.ID), viewer.token, nil, &page) != http.StatusOK {
			return false
		}
		for _, c := range page.Items {
			if c.Chat == group {
				return len(c.Admins) == 2 && c.Admins[0].Address == ali && c.Admins[0].Role == "superadmin" &&
					c.Admins[1].Address == abu && c.Admins[1].Role == "admin"
			}
		}
		return false
	})
}
