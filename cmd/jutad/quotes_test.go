package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"
)

type quoteJSON struct {
	ID      int64
	WAID    string `json:"waId"`
	Sender  string
	Kind    string
	Preview string
}

type quotingMessage struct {
	ID    int64
	WAID  string `json:"waId"`
	Text  string
	Quote *quoteJSON
}

// messagesOf lists the session's newest messages.
func messagesOf(t *testing.T, c *client, sid int64) []quotingMessage {
	t.Helper()
	var page struct{ Items []quotingMessage }
	if code := call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages", c.base, sid), c.token, nil, &page); code != http.StatusOK {
		t.Fatalf("messages: %d", code)
	}
	return page.Items
}

// Replies both ways through a real node and the simulator: the user's
// reply (sent with quote) and a contact's reply quoting the user's message
// by its WhatsApp id each read back naming the quoted message by its
// WhatsApp id, and, as the session stores it, by its id, kind and the start
// of its text.
func TestRepliesQuoteTheirMessageEndToEnd(t *testing.T) {
	ownerPhone, contact := "+60123465001", "+60123465002"
	e := linkOwner(t, ownerPhone, sendPacing...)
	simP, base, owner, s := e.sim, e.base, e.owner, e.session
	var theirs struct{ ID string }
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", map[string]string{"to": ownerPhone, "text": "hantar esok?"}, &theirs); code != 200 {
		t.Fatalf("contact message: status %d", code)
	}
	var asked quotingMessage
	eventually(t, 20*time.Second, "the contact's message stored", func() bool {
		for _, m := range messagesOf(t, owner, s.ID) {
			if m.WAID == theirs.ID {
				asked = m
				return true
			}
		}
		return false
	})

	code, body := owner.sendAs(s.ID, "reply-1", map[string]any{"to": contact, "text": "ok, esok pagi", "quote": asked.ID})
	var mine quotingMessage
	if code != http.StatusCreated || json.Unmarshal(body, &mine) != nil {
		t.Fatalf("reply: %d %s", code, body)
	}
	if q := mine.Quote; q == nil || q.ID != asked.ID || q.WAID != theirs.ID || q.Sender != contact || q.Kind != "text" || q.Preview != "hantar esok?" {
		t.Fatalf("the user's reply names %+v", mine.Quote)
	}

	quote := map[string]string{"waId": mine.WAID, "sender": ownerPhone}
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", map[string]any{"to": ownerPhone, "text": "terima kasih", "quote": quote}, nil); code != 200 {
		t.Fatalf("contact reply: status %d", code)
	}
	eventually(t, 20*time.Second, "the contact's reply naming the user's message", func() bool {
		for _, m := range messagesOf(t, owner, s.ID) {
			if m.Text == "terima kasih" {
				q := m.Quote
				return q != nil && q.ID == mine.ID && q.WAID == mine.WAID && q.Kind == "text" && q.Preview == "ok, esok pagi"
			}
		}
		return false
	})
	for _, m := range messagesOf(t, owner, s.ID) {
		if m.ID == mine.ID && (m.Quote == nil || m.Quote.ID != asked.ID || m.Quote.Preview != "hantar esok?") {
			t.Errorf("the user's reply reads back naming %+v", m.Quote)
		}
	}

	// A single read shows the same, with the name the user saved the
	// contact under once the phone syncs it.
	saved := map[string]any{"contacts": []map[string]string{{"phone": contact, "name": "Kak Siti Kuih"}}}
	if code := call(t, "POST", phoneURL(simP.addr, ownerPhone, "contacts"), "", saved, nil); code != 200 {
		t.Fatalf("contact sync: status %d", code)
	}
	var one struct {
		quotingMessage
		ContactName string
	}
	eventually(t, 20*time.Second, "the saved name on a single read", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages/%d", base, s.ID, asked.ID), owner.token, nil, &one) == 200 &&
			one.ContactName == "Kak Siti Kuih"
	})
	var reply struct {
		quotingMessage
		ContactName string
	}
	if code := call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages/%d", base, s.ID, mine.ID), owner.token, nil, &reply); code != 200 ||
		reply.Quote == nil || reply.Quote.ID != asked.ID || reply.ContactName != "" {
		t.Errorf("a single read of the user's reply: %d %+v", code, reply)
	}
}
