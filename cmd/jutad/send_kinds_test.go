package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
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
	Reactions []struct {
		Sender, Emoji string
		FromMe        *bool
	}
}

// messageFrom has contact's phone send the owner (ownerPhone) a text and
// returns its id once the session sid holds it as its n-th message.
func (c *client) messageFrom(simAddr, contact, ownerPhone string, sid int64, n int) int64 {
	c.t.Helper()
	if code := call(c.t, "POST", phoneURL(simAddr, contact, "messages"), "", map[string]string{"to": ownerPhone, "text": "ok"}, nil); code != 200 {
		c.t.Fatalf("contact message: status %d", code)
	}
	var page struct {
		Items []struct {
			ID     int64
			FromMe bool
		}
	}
	eventually(c.t, 20*time.Second, "the contact's message stored", func() bool {
		return call(c.t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages", c.base, sid), c.token, nil, &page) == 200 &&
			len(page.Items) == n && !page.Items[0].FromMe
	})
	return page.Items[0].ID
}

// phoneChanges lists the changes of kind that reached phone, each as the
// message id it names and its text.
func phoneChanges(t *testing.T, simAddr, phone, kind string) []string {
	var out struct {
		Items []struct{ Text, Change, Target string }
	}
	if code := call(t, "GET", phoneURL(simAddr, phone, "inbox"), "", nil, &out); code != http.StatusOK {
		t.Fatalf("inbox: %d", code)
	}
	var got []string
	for _, it := range out.Items {
		if it.Change == kind {
			got = append(got, it.Target+" "+it.Text)
		}
	}
	return got
}

func phoneReactions(t *testing.T, simAddr, phone string) []string {
	return phoneChanges(t, simAddr, phone, "reaction")
}

// The user reacts to a contact's message through a real node and the
// simulator: the contact's phone gets the reaction once (a retry under the
// same Idempotency-Key sends nothing more), the stored message carries it
// when the answer comes, an empty emoji takes it back, and an unknown
// message or one of another chat is a not_found problem.
func TestSendReactionEndToEnd(t *testing.T) {
	ownerPhone, contact, other := "+60123461001", "+60123461002", "+60123461003"
	e := linkOwner(t, ownerPhone, sendPacing...)
	simP, base, owner, s := e.sim, e.base, e.owner, e.session
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
	if got.ID != target || len(got.Reactions) != 1 || got.Reactions[0].Emoji != "👍" || got.Reactions[0].Sender != ownerPhone ||
		got.Reactions[0].FromMe == nil || !*got.Reactions[0].FromMe {
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

	// The contact reacts too: each reaction says whose it is, so the user's
	// own can be told apart (and taken back) while the contact's stays.
	theirReact := map[string]any{"to": ownerPhone, "kind": "reaction", "targets": []string{theirs.ID}, "text": "🙏"}
	if code := call(t, "POST", phoneURL(simP.addr, contact, "changes"), "", theirReact, nil); code != 200 {
		t.Fatalf("contact reaction: status %d", code)
	}
	if code, body := owner.sendAs(s.ID, "", map[string]any{"to": contact, "reactTo": target, "emoji": "😂"}); code != 201 {
		t.Fatalf("react again: status %d, body %s", code, body)
	}
	var both sentReactions
	eventually(t, 20*time.Second, "both reactions stored", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages/%d", base, s.ID, target), owner.token, nil, &both) == 200 &&
			len(both.Reactions) == 2
	})
	for _, r := range both.Reactions {
		if r.FromMe == nil || *r.FromMe != (r.Sender == ownerPhone) || (r.Sender == ownerPhone) != (r.Emoji == "😂") {
			t.Errorf("reaction %s of %s: fromMe %v", r.Emoji, r.Sender, r.FromMe)
		}
	}
}

// The user edits and deletes their own message through a real node and the
// simulator: the contact's phone gets each change, the stored message shows
// it when the answer comes, and another's message is refused with a
// forbidden problem.
func TestSendEditAndDeleteEndToEnd(t *testing.T) {
	ownerPhone, contact := "+60123462001", "+60123462002"
	e := linkOwner(t, ownerPhone, sendPacing...)
	simP, base, owner, s := e.sim, e.base, e.owner, e.session
	var mine struct {
		ID   int64
		WAID string
	}
	code, body := owner.sendAs(s.ID, "", map[string]string{"to": contact, "text": "jumpa pukul 3"})
	if code != 201 || json.Unmarshal(body, &mine) != nil {
		t.Fatalf("send: status %d, body %s", code, body)
	}
	theirID := owner.messageFrom(simP.addr, contact, ownerPhone, s.ID, 2)

	var edited struct {
		Text     string
		EditedAt *time.Time
	}
	code, body = owner.sendAs(s.ID, "edit-1", map[string]any{"to": contact, "edit": mine.ID, "text": "jumpa pukul 4"})
	if code != 201 || json.Unmarshal(body, &edited) != nil || edited.Text != "jumpa pukul 4" || edited.EditedAt == nil {
		t.Fatalf("edit: status %d, body %s", code, body)
	}
	if got := phoneChanges(t, simP.addr, contact, "edit"); len(got) != 1 || got[0] != mine.WAID+" jumpa pukul 4" {
		t.Fatalf("contact's phone got edits %q", got)
	}
	for _, tc := range []struct {
		name, code string
		status     int
		req        map[string]any
	}{
		{"edit of the contact's message", "forbidden", 403, map[string]any{"to": contact, "edit": theirID, "text": "x"}},
		{"edit of an unknown message", "not_found", 404, map[string]any{"to": contact, "edit": mine.ID + 1000, "text": "x"}},
		{"edit and reaction at once", "invalid", 400, map[string]any{"to": contact, "edit": mine.ID, "reactTo": mine.ID, "emoji": "👍"}},
	} {
		code, body := owner.sendAs(s.ID, "", tc.req)
		var p struct{ Code string }
		if json.Unmarshal(body, &p) != nil || p.Code != tc.code || code != tc.status {
			t.Errorf("%s: status %d, body %s, want %d %s", tc.name, code, body, tc.status, tc.code)
		}
	}

	del := func(id int64) (int, []byte) {
		req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/api/sessions/%d/messages/%d", base, s.ID, id), nil)
		req.Header.Set("Authorization", "Bearer "+owner.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("delete: %v", err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return res.StatusCode, data
	}
	if code, body := del(theirID); code != 403 {
		t.Fatalf("delete the contact's message: status %d, body %s, want 403", code, body)
	}
	var deleted struct {
		Text      string
		DeletedAt *time.Time
	}
	if code, body := del(mine.ID); code != 200 || json.Unmarshal(body, &deleted) != nil || deleted.DeletedAt == nil || deleted.Text != "" {
		t.Fatalf("delete: status %d, body %s", code, body)
	}
	if got := phoneChanges(t, simP.addr, contact, "delete"); len(got) != 1 || got[0] != mine.WAID+" " {
		t.Fatalf("contact's phone got deletes %q", got)
	}
	if code, body := del(mine.ID); code != 404 {
		t.Fatalf("delete again: status %d, body %s, want 404", code, body)
	}
}
