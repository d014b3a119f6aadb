package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

func TestSendScenarios(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	shop := e.mustSession(t, e.alice.id, "Shop")
	home := e.mustSession(t, e.alice.id, "Home")
	bobs := e.mustSession(t, e.bob.id, "Bob's phone")
	e.rt.mu.Lock()
	h := e.rt.sessions[home.ID]
	h.State = juta.StateStopped
	e.rt.sessions[home.ID] = h
	e.rt.mu.Unlock()
	alice := bearerHeader(e.alice.token)
	sender := apiKeyHeader(e.mustKey(t, e.alice.token, fmt.Sprintf(`{"name":"send","scopes":["send"],"sessionId":%d}`, shop.ID)))
	reader := apiKeyHeader(e.mustKey(t, e.alice.token, `{"name":"read","scopes":["read"]}`))
	send := fmt.Sprintf("/api/sessions/%d/messages", shop.ID)
	sentTo := func(to string) func(*testing.T, response) {
		return func(t *testing.T, _ response) {
			if c := e.rt.lastCall(); c.method != "SendText" || c.arg != to || c.uid != e.alice.id || !c.hadDeadline {
				t.Errorf("last runtime call = %+v, want SendText to %s", c, to)
			}
		}
	}

	runScenarios(t, e.testEnv, []scenario{
		{
			name: "send to a local phone number", method: http.MethodPost, url: send, headers: alice,
			body: `{"to":"012-345 6789","text":"Selamat pagi"}`, status: http.StatusCreated,
			contains: []string{`"chat":"+60123456789"`, `"fromMe":true`, `"text":"Selamat pagi"`}, after: sentTo("+60123456789"),
		},
		{
			name: "send to a JID", method: http.MethodPost, url: send, headers: alice,
			body: `{"to":"60123456789@S.WhatsApp.net","text":"hi"}`, status: http.StatusCreated,
			contains: []string{`"chat":"+60123456789"`}, after: sentTo("+60123456789"),
		},
		{
			// +60 11-111 1111 is outside today's assigned mobile ranges, but a
			// number of Malaysia's length that WhatsApp reaches all the same.
			name: "send to a possible number outside today's ranges", method: http.MethodPost, url: send, headers: alice,
			body: `{"to":"+60111111111","text":"hi"}`, status: http.StatusCreated,
			contains: []string{`"chat":"+60111111111"`}, after: sentTo("+60111111111"),
		},
		{name: "a number too short for its country", method: http.MethodPost, url: send, headers: alice, body: `{"to":"+601111","text":"hi"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{
			name: "send to a group", method: http.MethodPost, url: send, headers: alice,
			body: `{"to":"120363025246125486@g.us","text":"hi all"}`, status: http.StatusCreated, after: sentTo("120363025246125486@g.us"),
		},
		{
			name: "text of 4096 characters", method: http.MethodPost, url: send, headers: alice,
			body: `{"to":"+60123456789","text":"` + strings.Repeat("é", 4096) + `"}`, status: http.StatusCreated,
			contains: []string{`"text":"` + strings.Repeat("é", 4096) + `"`, `"fromMe":true`}, after: sentTo("+60123456789"),
		},
		{name: "text of 4097 characters", method: http.MethodPost, url: send, headers: alice, body: `{"to":"+60123456789","text":"` + strings.Repeat("a", 4097) + `"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "empty text", method: http.MethodPost, url: send, headers: alice, body: `{"to":"+60123456789","text":""}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "blank text", method: http.MethodPost, url: send, headers: alice, body: `{"to":"+60123456789","text":" \n "}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "no recipient", method: http.MethodPost, url: send, headers: alice, body: `{"text":"hi"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a recipient that is no number", method: http.MethodPost, url: send, headers: alice, body: `{"to":"bob","text":"hi"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a JID of an unknown server", method: http.MethodPost, url: send, headers: alice, body: `{"to":"123456@evil.example","text":"hi"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a JID with a device part", method: http.MethodPost, url: send, headers: alice, body: `{"to":"60123456789:2@s.whatsapp.net","text":"hi"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "an unknown field", method: http.MethodPost, url: send, headers: alice, body: `{"to":"+60123456789","text":"hi","from":"x"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "text of the wrong type", method: http.MethodPost, url: send, headers: alice, body: `{"to":"+60123456789","text":5}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "no body", method: http.MethodPost, url: send, headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "two documents", method: http.MethodPost, url: send, headers: alice, body: `{"to":"+60123456789","text":"a"}{}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{
			name: "a session that is not connected", method: http.MethodPost, url: fmt.Sprintf("/api/sessions/%d/messages", home.ID),
			headers: alice, body: `{"to":"+60123456789","text":"hi"}`, status: http.StatusConflict, code: juta.ESTATE,
		},
		{
			name: "another user's session", method: http.MethodPost, url: fmt.Sprintf("/api/sessions/%d/messages", bobs.ID),
			headers: alice, body: `{"to":"+60123456789","text":"hi"}`, status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{name: "a send key on its session", method: http.MethodPost, url: send, headers: sender, body: `{"to":"+60123456789","text":"hi"}`, status: http.StatusCreated,
			contains: []string{`"chat":"+60123456789"`, `"text":"hi"`, `"fromMe":true`}, after: sentTo("+60123456789")},
		{
			name: "a send key on another session", method: http.MethodPost, url: fmt.Sprintf("/api/sessions/%d/messages", home.ID),
			headers: sender, body: `{"to":"+60123456789","text":"hi"}`, status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{name: "a read key cannot send", method: http.MethodPost, url: send, headers: reader, body: `{"to":"+60123456789","text":"hi"}`, status: http.StatusForbidden, code: juta.EFORBIDDEN},
	})

	t.Run("paced sends are 429 with Retry-After", func(t *testing.T) {
		e.send.failSends(&juta.Error{Code: juta.ERATELIMITED, Message: "too many messages", RetryAfter: 2500 * time.Millisecond})
		defer e.send.failSends(nil)
		res := e.do(t, http.MethodPost, send, alice, `{"to":"+60123456789","text":"hi"}`)
		scenario{status: http.StatusTooManyRequests, code: juta.ERATELIMITED, respHeaders: map[string]string{"Retry-After": "3"}}.check(t, res)
	})
}
