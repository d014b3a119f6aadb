package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The user edits the caption of their own photo and document through a
// real node and the simulator: the answer and the stored message show the
// new caption with editedAt, the versions route keeps the original then the
// edit, the contact's phone gets the edit naming the file's message, and a
// voice note, a caption past 1024 characters and the contact's photo are
// refused.
func TestSendCaptionEditEndToEnd(t *testing.T) {
	ownerPhone, contact := "+60123464001", "+60123464002"
	e := linkOwner(t, ownerPhone, sendPacing...)
	simP, base, owner, s := e.sim, e.base, e.owner, e.session
	sendFile := func(name, mime, kind, caption string, data []byte) (int64, string) {
		fields := map[string]string{"to": contact, "kind": kind}
		if caption != "" {
			fields["caption"] = caption
		}
		code, body := owner.form(fmt.Sprintf("/api/sessions/%d/messages", s.ID), "", fields, name, mime, data)
		var m struct {
			ID   int64
			WAID string `json:"waId"`
			Kind string
		}
		if code != 201 || json.Unmarshal(body, &m) != nil || m.Kind != kind {
			t.Fatalf("send %s: status %d, body %s", kind, code, body)
		}
		return m.ID, m.WAID
	}
	photo, photoWA := sendFile("slip.png", "image/png", "image", "dah bayar RM120", bytes.Repeat([]byte("\x89PNG slip "), 2000))
	doc, docWA := sendFile("harga.pdf", "application/pdf", "document", "", []byte("%PDF-1.4 senarai harga"))
	voice, _ := sendFile("note.ogg", "audio/ogg; codecs=opus", "voice", "", append([]byte("OggS"), bytes.Repeat([]byte{7}, 500)...))

	type edited struct {
		Kind     string
		Text     string
		EditedAt *time.Time
	}
	for _, tc := range []struct {
		id          int64
		waID, kind  string
		caption     string
		versionsLen int
	}{
		{photo, photoWA, "image", "dah bayar RM130", 2},
		{doc, docWA, "document", "senarai harga baru", 2},
	} {
		code, body := owner.sendAs(s.ID, "caption-"+tc.kind, map[string]any{"to": contact, "edit": tc.id, "text": tc.caption})
		var got edited
		if code != 201 || json.Unmarshal(body, &got) != nil || got.Kind != tc.kind || got.Text != tc.caption || got.EditedAt == nil {
			t.Fatalf("edit the %s's caption: status %d, body %s", tc.kind, code, body)
		}
		var stored edited
		if call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages/%d", base, s.ID, tc.id), owner.token, nil, &stored) != 200 ||
			stored.Text != tc.caption || stored.EditedAt == nil {
			t.Fatalf("stored %s after the edit = %+v", tc.kind, stored)
		}
		var versions struct{ Items []struct{ Text string } }
		if code := call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages/%d/versions", base, s.ID, tc.id), owner.token, nil, &versions); code != 200 ||
			len(versions.Items) != tc.versionsLen || versions.Items[len(versions.Items)-1].Text != tc.caption {
			t.Fatalf("versions of the %s: status %d, %+v", tc.kind, code, versions)
		}
	}
	edits := phoneChanges(t, simP.addr, contact, "edit")
	if len(edits) != 2 || edits[0] != photoWA+" dah bayar RM130" || edits[1] != docWA+" senarai harga baru" {
		t.Fatalf("contact's phone got edits %q", edits)
	}

	theirID := owner.messageFrom(simP.addr, contact, ownerPhone, s.ID, 4)
	for _, tc := range []struct {
		name, code string
		status     int
		req        map[string]any
	}{
		{"edit of a voice note", "invalid", 400, map[string]any{"to": contact, "edit": voice, "text": "x"}},
		{"caption past 1024 characters", "invalid", 400, map[string]any{"to": contact, "edit": photo, "text": strings.Repeat("a", 1025)}},
		{"edit of the contact's message", "forbidden", 403, map[string]any{"to": contact, "edit": theirID, "text": "x"}},
	} {
		code, body := owner.sendAs(s.ID, "", tc.req)
		var p struct{ Code string }
		if json.Unmarshal(body, &p) != nil || p.Code != tc.code || code != tc.status {
			t.Errorf("%s: status %d, body %s, want %d %s", tc.name, code, body, tc.status, tc.code)
		}
	}
	if got := phoneChanges(t, simP.addr, contact, "edit"); len(got) != 2 {
		t.Fatalf("refused edits reached the phone: %q", got)
	}
}
