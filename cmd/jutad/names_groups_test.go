package main

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
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
	dbURL := pgtest.MustURL(t)
	simP := startSimWith(t, "0")
	srv := startServer(t, dbURL, simP.addr, "JUTA_SEND_BURST=50", "JUTA_SEND_PER_MINUTE=600")
	base := "http://" + srv.addr
	ownerPhone, ali, abu := "+60123464001", "+60123464002", "+60123464003"
	owner := register(t, base, ownerPhone)
	s := owner.link(simP.addr, ownerPhone)
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
