package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// sendAs posts body to the session's messages route, with an
// Idempotency-Key when key is not "", and returns the status and the body.
func (c *client) sendAs(sid int64, key string, body any) (int, []byte) {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/sessions/%d/messages", c.base, sid), bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		c.t.Fatalf("send: %v", err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data
}

type sentReactions struct {
	ID        int64
	Reactions []struct{ Sender, Emoji string }
}

// phoneReactions lists the reactions that reached phone, as the emoji each
// gave to the message id it names.
func phoneReactions(t *testing.T, simAddr, phone string) []string {
	var out struct {
		Items []struct{ Text, ReactTo string }
	}
	if code := call(t, "GET", phoneURL(simAddr, phone, "inbox"), "", nil, &out); code != http.StatusOK {
		t.Fatalf("inbox: %d", code)
	}
	var got []string
	for _, it := range out.Items {
		if it.ReactTo != "" {
			got = append(got, it.ReactTo+" "+it.Text)
		}
	}
	return got
}

// The user reacts to a contact's message through a real node and the
// simulator: the contact's phone gets the reaction once (a retry under the
// same Idempotency-Key sends nothing more), the stored message carries it
// when the answer comes, an empty emoji takes it back, and an unknown
// message or one of another chat is a not_found problem.
func TestSendReactionEndToEnd(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	simP := startSimWith(t, "0")
	srv := startServer(t, dbURL, simP.addr)
	base := "http://" + srv.addr
	ownerPhone, contact, other := "+60123461001", "+60123461002", "+60123461003"
	owner := register(t, base, ownerPhone)
	s := owner.link(simP.addr, ownerPhone)
	var theirs struct{ ID string }
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", map[string]string{"to": ownerPhone, "text": "dah bayar"}, &theirs); code != 200 {
		t.Fatalf("contact message: status %d", code)
	}
	var page struct{ Items []struct{ ID int64 } }
	eventually(t, 20*time.Second, "the contact's message stored", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages", base, s.ID), owner.token, nil, &page) == 200 && len(page.Items) == 1
	})
	target := page.Items[0].ID

	react := map[string]any{"to": contact, "reactTo": target, "emoji": "👍"}
	code, first := owner.sendAs(s.ID, "react-1", react)
	var got sentReactions
	if code != 201 || json.Unmarshal(first, &got) != nil {
		t.Fatalf("react: status %d, body %s", code, first)
	}
	if got.ID != target || len(got.Reactions) != 1 || got.Reactions[0].Emoji != "👍" || got.Reactions[0].Sender != ownerPhone {
		t.Fatalf("reacted message = %s, want message %d with %s's 👍", first, target, ownerPhone)
	}
	if code, again := owner.sendAs(s.ID, "react-1", react); code != 201 || !bytes.Equal(again, first) {
		t.Fatalf("retry: status %d, body %s, want the first answer", code, again)
	}
	if r := phoneReactions(t, simP.addr, contact); len(r) != 1 || r[0] != theirs.ID+" 👍" {
		t.Fatalf("contact's phone got reactions %q, want one 👍 to %s", r, theirs.ID)
	}

	code, body := owner.sendAs(s.ID, "", map[string]any{"to": contact, "reactTo": target, "emoji": ""})
	var back sentReactions
	if code != 201 || json.Unmarshal(body, &back) != nil || len(back.Reactions) != 0 {
		t.Fatalf("take back: status %d, body %s, want no reactions", code, body)
	}
	for _, tc := range []struct {
		name, code string
		req        map[string]any
	}{
		{"unknown message", "not_found", map[string]any{"to": contact, "reactTo": target + 1000, "emoji": "👍"}},
		{"another chat's message", "not_found", map[string]any{"to": other, "reactTo": target, "emoji": "👍"}},
		{"emoji without a message", "invalid", map[string]any{"to": contact, "emoji": "👍"}},
		{"reaction with text", "invalid", map[string]any{"to": contact, "reactTo": target, "emoji": "👍", "text": "hi"}},
	} {
		code, body := owner.sendAs(s.ID, "", tc.req)
		var p struct{ Code string }
		if json.Unmarshal(body, &p) != nil || p.Code != tc.code || code != map[string]int{"not_found": 404, "invalid": 400}[tc.code] {
			t.Errorf("%s: status %d, body %s, want a %s problem", tc.name, code, body, tc.code)
		}
	}
	if r := phoneReactions(t, simP.addr, contact); len(r) != 2 {
		t.Fatalf("contact's phone got reactions %q, want the 👍 and its withdrawal only", r)
	}
}
