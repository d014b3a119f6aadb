package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

func TestChatsAndSearchScenarios(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	shop := e.mustSession(t, e.alice.id, "Shop")
	home := e.mustSession(t, e.alice.id, "Home")
	bobs := e.mustSession(t, e.bob.id, "Bob's phone")
	alice := bearerHeader(e.alice.token)
	bound := apiKeyHeader(e.mustKey(t, e.alice.token, fmt.Sprintf(`{"name":"home","scopes":["read"],"sessionId":%d}`, home.ID)))

	const ali, siti, group = "+60111111111", "+60122222222", "120363025246125486@g.us"
	e.storeMsg(t, shop, ali, "a1", "Jumpa esok pukul 3")
	e.storeMsg(t, shop, siti, "s1", "Invoice RM50 for the cake")
	e.storeMsg(t, shop, group, "g1", "Meeting moved to Friday")
	latest := e.storeMsg(t, shop, ali, "a2", "ok jumpa di kedai")
	e.storeMsg(t, bobs, ali, "b1", "jumpa bob")

	chatOrder := func(want ...string) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			var page juta.Page[juta.Chat]
			if err := json.Unmarshal(res.body, &page); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range page.Items {
				got = append(got, c.Chat)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("chats = %v, want %v", got, want)
			}
		}
	}
	texts := func(want ...string) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			var page juta.Page[juta.Message]
			if err := json.Unmarshal(res.body, &page); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range page.Items {
				got = append(got, m.Text)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("messages = %q, want %q", got, want)
			}
		}
	}
	chats := fmt.Sprintf("/api/sessions/%d/chats", shop.ID)
	msgs := fmt.Sprintf("/api/sessions/%d/messages", shop.ID)

	runScenarios(t, e.testEnv, []scenario{
		{
			name: "chats newest activity first", method: http.MethodGet, url: chats, headers: alice, status: http.StatusOK,
			contains: []string{fmt.Sprintf(`"lastMessage":{"id":%d`, latest.ID), `"text":"ok jumpa di kedai"`},
			absent:   []string{"nextCursor"}, after: chatOrder(ali, group, siti),
		},
		{
			name: "chats are paged", method: http.MethodGet, url: chats + "?limit=2", headers: alice, status: http.StatusOK,
			contains: []string{`"nextCursor":"`}, after: chatOrder(ali, group),
		},
		{name: "chats of an empty session", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d/chats", home.ID), headers: alice, status: http.StatusOK, contains: []string{`{"items":[]}`}},
		{name: "chats of another user's session", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d/chats", bobs.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND, absent: []string{"bob"}},
		{name: "chats through a key bound elsewhere", method: http.MethodGet, url: chats, headers: bound, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "chats with a bad cursor", method: http.MethodGet, url: chats + "?cursor=%25%25", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "chats with a bad limit", method: http.MethodGet, url: chats + "?limit=0", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{
			name: "search is case-insensitive", method: http.MethodGet, url: msgs + "?q=JUMPA", headers: alice, status: http.StatusOK,
			after: texts("ok jumpa di kedai", "Jumpa esok pukul 3"),
		},
		{
			name: "search in one chat", method: http.MethodGet, url: msgs + "?chat=" + url.QueryEscape(siti) + "&q=rm50", headers: alice,
			status: http.StatusOK, after: texts("Invoice RM50 for the cake"),
		},
		{
			name: "chat filter takes a local phone number", method: http.MethodGet, url: msgs + "?chat=012-222%202222", headers: alice,
			status: http.StatusOK, after: texts("Invoice RM50 for the cake"),
		},
		{
			name: "chat filter takes the unescaped international form", method: http.MethodGet, url: msgs + "?chat=" + ali, headers: alice,
			status: http.StatusOK, after: texts("ok jumpa di kedai", "Jumpa esok pukul 3"),
		},
		{
			name: "chat filter takes a person's JID as the same chat", method: http.MethodGet, url: msgs + "?chat=60111111111@s.whatsapp.net", headers: alice,
			status: http.StatusOK, after: texts("ok jumpa di kedai", "Jumpa esok pukul 3"),
		},
		{
			name: "chat filter takes a group JID", method: http.MethodGet, url: msgs + "?chat=" + group, headers: alice,
			status: http.StatusOK, after: texts("Meeting moved to Friday"),
		},
		{
			name: "search is paged", method: http.MethodGet, url: msgs + "?q=jumpa&limit=1", headers: alice, status: http.StatusOK,
			contains: []string{`"nextCursor":"`}, after: texts("ok jumpa di kedai"),
		},
		{name: "search finds nothing", method: http.MethodGet, url: msgs + "?q=zzz", headers: alice, status: http.StatusOK, contains: []string{`{"items":[]}`}},
		{name: "search a wildcard literally", method: http.MethodGet, url: msgs + "?q=%25", headers: alice, status: http.StatusOK, contains: []string{`{"items":[]}`}},
		{name: "search another user's session", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d/messages?q=jumpa", bobs.ID), headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "search through a key bound elsewhere", method: http.MethodGet, url: msgs + "?q=jumpa", headers: bound, status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "blank search", method: http.MethodGet, url: msgs + "?q=%20%20", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "search with a control character", method: http.MethodGet, url: msgs + "?q=a%00b", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "too long a search", method: http.MethodGet, url: msgs + "?q=" + strings.Repeat("x", 257), headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a chat that is no phone or JID", method: http.MethodGet, url: msgs + "?chat=bob", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{
			name: "without filters the list is every message of the session, newest first", method: http.MethodGet, url: msgs,
			headers: alice, status: http.StatusOK,
			after: texts("ok jumpa di kedai", "Meeting moved to Friday", "Invoice RM50 for the cake", "Jumpa esok pukul 3"),
		},
		{
			name: "without filters, another user's session", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d/messages", bobs.ID),
			headers: alice, status: http.StatusNotFound, code: juta.ENOTFOUND,
		},
		{
			name: "without filters the list is paged", method: http.MethodGet, url: msgs + "?limit=3", headers: alice,
			status: http.StatusOK, contains: []string{`"nextCursor":"`},
			after: texts("ok jumpa di kedai", "Meeting moved to Friday", "Invoice RM50 for the cake"),
		},
	})
}
