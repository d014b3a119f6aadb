package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	fastws "github.com/fasthttp/websocket"

	"github.com/juta-app/juta/ai/openai/openaitest"
	"github.com/juta-app/juta/persistence/pgtest"
)

// socket is one user's WebSocket from cursor 0, recording its own stream's
// frames (shared sessions' frames aside).
type socket struct {
	mu      sync.Mutex
	cursors []int64
	types   map[string]int
	shared  map[string]int // types of the frames of sessions shared with the user
	// sharedData holds the data of those frames, by type, in order.
	sharedData map[string][]json.RawMessage
}

func (c *client) openSocket(t *testing.T) *socket {
	t.Helper()
	var tk struct{ Ticket string }
	if code := call(t, "POST", c.base+"/api/ws-ticket", c.token, nil, &tk); code != http.StatusCreated {
		t.Fatalf("ticket: status %d", code)
	}
	u := "ws://" + strings.TrimPrefix(c.base, "http://") + "/api/ws?after=0&ticket=" + url.QueryEscape(tk.Ticket)
	conn, _, err := (&fastws.Dialer{HandshakeTimeout: 10 * time.Second}).Dial(u, nil)
	if err != nil {
		t.Fatalf("dial websocket: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	s := &socket{types: map[string]int{}, shared: map[string]int{}, sharedData: map[string][]json.RawMessage{}}
	go func() {
		for {
			var f struct {
				Cursor int64
				Type   string
				Shared bool `json:"shared"`
				Data   json.RawMessage
			}
			if err := conn.ReadJSON(&f); err != nil {
				return
			}
			s.mu.Lock()
			if f.Shared || f.Cursor == 0 {
				s.shared[f.Type]++
				s.sharedData[f.Type] = append(s.sharedData[f.Type], f.Data)
				s.mu.Unlock()
				continue
			}
			s.cursors = append(s.cursors, f.Cursor)
			s.types[f.Type]++
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *socket) has(typ string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.types[typ] > 0
}

// hasShared says whether a frame of type typ came from a shared session.
func (s *socket) hasShared(typ string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shared[typ] > 0
}

// sharedOf returns the data of the frames of type typ from shared sessions.
func (s *socket) sharedOf(typ string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sharedData[typ])
}

// exact says whether the socket received cursors 1..n once each, in order.
func (s *socket) exact() (bool, []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.cursors {
		if c != int64(i+1) {
			return false, slices.Clone(s.cursors)
		}
	}
	return true, nil
}

// eventTypes lists the event types of the served OpenAPI document's event
// union: the contract every type must keep.
func eventTypes(t *testing.T, base string) []string {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Discriminator struct {
					Mapping map[string]string `json:"mapping"`
				} `json:"discriminator"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if code := call(t, "GET", base+"/api/openapi.json", "", nil, &doc); code != 200 {
		t.Fatalf("openapi: status %d", code)
	}
	var types []string
	for typ := range doc.Components.Schemas["Event"].Discriminator.Mapping {
		types = append(types, typ)
	}
	sort.Strings(types)
	if len(types) == 0 {
		t.Fatal("the document lists no event types")
	}
	return types
}

// Every event type of the OpenAPI document reaches a subscribed WebSocket
// when driven through its real trigger on a real node: linking, a contact's
// message and the action found in it, an update, a reminder falling due, a
// share and its revocation, a voice note transcribed, a contact's push name and the name the user saved
// them under (which the viewer the session is shared with sees too), deleting the session. No trigger publishes by
// hand; the store that logs each event publishes it after commit.
func TestEveryEventTypeReachesAWebSocket(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	simP := startSimWith(t, "0")
	whisper := openaitest.New(t, func(_ int, r openaitest.Request) (int, string) {
		if !openaitest.IsTranscription(r) {
			return http.StatusBadRequest, `{}`
		}
		return http.StatusOK, openaitest.Transcript("tolong call balik petang ni")
	})
	srv := startServer(t, dbURL, simP.addr, "JUTA_TRANSCRIBE_BASE_URL="+whisper.BaseURL, "JUTA_TRANSCRIBE_MODEL=whisper-1")
	base := "http://" + srv.addr
	types := eventTypes(t, base)
	ownerPhone, friendPhone, contact := "+60123460001", "+60123460002", "+60123460003"
	owner, friend := register(t, base, ownerPhone), register(t, base, friendPhone)
	ownerWS, friendWS := owner.openSocket(t), friend.openSocket(t)

	s := owner.link(simP.addr, ownerPhone) // session.qr, session.state
	body := map[string]string{"to": ownerPhone, "text": "jumpa esok pukul 3 petang", "name": "Siti"}
	var theirs struct{ ID string }
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", body, &theirs); code != 200 {
		t.Fatalf("contact message: status %d", code)
	}
	var actions struct{ Items []struct{ ID int64 } }
	eventually(t, 20*time.Second, "an action", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/actions?sessionId=%d", base, s.ID), owner.token, nil, &actions) == 200 &&
			len(actions.Items) > 0
	})
	// Snoozed to a second from now: an update now, due a moment later.
	snooze := map[string]any{"snoozeUntil": time.Now().Add(time.Second).UTC().Format(time.RFC3339Nano)}
	if code := call(t, "PATCH", fmt.Sprintf("%s/api/actions/%d", base, actions.Items[0].ID), owner.token, snooze, nil); code != 200 {
		t.Fatalf("snooze action: status %d", code)
	}
	eventually(t, 20*time.Second, "the reminder due", func() bool { return ownerWS.has("action.due") })
	shares := fmt.Sprintf("%s/api/sessions/%d/shares", base, s.ID)
	if code := call(t, "POST", shares, owner.token, map[string]string{"phoneNumber": friendPhone, "role": "viewer"}, nil); code != 201 {
		t.Fatalf("share: status %d", code)
	}
	eventually(t, 20*time.Second, "the share notice", func() bool { return friendWS.has("share.granted") })
	saved := map[string]any{"contacts": []map[string]string{{"phone": contact, "name": "Siti Kedai Bunga"}}}
	if code := call(t, "POST", phoneURL(simP.addr, ownerPhone, "contacts"), "", saved, nil); code != 200 {
		t.Fatalf("contact sync: status %d", code)
	}
	eventually(t, 20*time.Second, "the saved name on the viewer's socket", func() bool { return friendWS.hasShared("chat.updated") })
	contactChanges(t, base, simP.addr, owner, s.ID, contact, ownerPhone, theirs.ID)
	voice := map[string]any{"to": ownerPhone, "kind": "voice", "mimeType": "audio/ogg; codecs=opus", "durationSeconds": 2,
		"data": []byte("OggS a short voice note")}
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", voice, nil); code != 200 {
		t.Fatalf("contact voice note: status %d", code)
	}
	for _, typ := range []string{"message.edited", "message.reaction", "message.deleted", "message.status", "message.transcribed", "chat.updated"} {
		// Stored before the session goes: its deletion ends the session's stream.
		eventually(t, 20*time.Second, "the contact's "+typ, func() bool { return ownerWS.has(typ) })
	}
	if code := call(t, "DELETE", shares+"/"+url.PathEscape(friendPhone), owner.token, nil, nil); code != 204 {
		t.Fatalf("revoke: status %d", code)
	}
	if code := call(t, "DELETE", fmt.Sprintf("%s/api/sessions/%d", base, s.ID), owner.token, nil, nil); code != 204 {
		t.Fatalf("delete session: status %d", code)
	}

	for _, typ := range types {
		eventually(t, 20*time.Second, "a "+typ+" event on a socket", func() bool {
			return ownerWS.has(typ) || friendWS.has(typ)
		})
	}
	for name, ws := range map[string]*socket{"owner": ownerWS, "friend": friendWS} {
		if ok, got := ws.exact(); !ok {
			t.Errorf("%s's socket received cursors %v, want 1..n once each in order", name, got)
		}
	}
}

// contactChanges drives the message changes a contact's phone makes: it
// edits, reacts to and deletes its message, and reads the owner's reply
// (message.edited, message.reaction, message.deleted, message.status).
func contactChanges(t *testing.T, base, simAddr string, owner *client, sid int64, contact, ownerPhone, theirID string) {
	t.Helper()
	var mine struct{ WAID string }
	reply := map[string]string{"to": contact, "text": "ok, jumpa esok"}
	if code := call(t, "POST", fmt.Sprintf("%s/api/sessions/%d/messages", base, sid), owner.token, reply, &mine); code != 201 || mine.WAID == "" {
		t.Fatalf("reply: status %d, waId %q", code, mine.WAID)
	}
	for _, ch := range []map[string]any{
		{"kind": "edit", "targets": []string{theirID}, "text": "jumpa esok pukul 4 petang"},
		{"kind": "reaction", "targets": []string{theirID}, "text": "👍"},
		{"kind": "delete", "targets": []string{theirID}},
		{"kind": "read", "targets": []string{mine.WAID}},
	} {
		ch["to"] = ownerPhone
		if code := call(t, "POST", phoneURL(simAddr, contact, "changes"), "", ch, nil); code != 200 {
			t.Fatalf("contact's %s: status %d", ch["kind"], code)
		}
	}
}
