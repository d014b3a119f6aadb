package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

func TestEventsScenarios(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	shop := e.mustSession(t, e.alice.id, "Shop")
	home := e.mustSession(t, e.alice.id, "Home")
	ctx := context.Background()
	appendEv := func(uid juta.UserID, sid juta.SessionID, data string) {
		if _, err := e.db.AppendEvent(ctx, uid, sid, juta.EventMessage, []byte(data)); err != nil {
			t.Fatalf("append event: %v", err)
		}
	}
	appendEv(e.alice.id, shop.ID, `{"n":1}`)
	appendEv(e.alice.id, home.ID, `{"n":2}`)
	appendEv(e.alice.id, 0, `{"n":3}`)
	appendEv(e.alice.id, shop.ID, `{"n":4}`)
	appendEv(e.bob.id, 0, `{"n":"bob"}`)
	alice := bearerHeader(e.alice.token)
	bound := apiKeyHeader(e.mustKey(t, e.alice.token, fmt.Sprintf(`{"name":"shop","scopes":["read"],"sessionId":%d}`, shop.ID)))
	sendOnly := apiKeyHeader(e.mustKey(t, e.alice.token, `{"name":"send","scopes":["send"]}`))
	page := func(wantData []string, wantNext string) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			var p struct {
				Items []struct {
					Cursor    int64           `json:"cursor"`
					Type      string          `json:"type"`
					SessionID juta.SessionID  `json:"sessionId"`
					Data      json.RawMessage `json:"data"`
				} `json:"items"`
				NextCursor *string `json:"nextCursor"`
			}
			if err := json.Unmarshal(res.body, &p); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range p.Items {
				got = append(got, string(it.Data))
			}
			if fmt.Sprint(got) != fmt.Sprint(wantData) {
				t.Errorf("items = %v, want %v", got, wantData)
			}
			next := ""
			if p.NextCursor != nil {
				next = *p.NextCursor
			}
			if next != wantNext {
				t.Errorf("nextCursor = %q, want %q", next, wantNext)
			}
		}
	}

	runScenarios(t, e.testEnv, []scenario{
		{name: "the whole log", method: http.MethodGet, url: "/api/events", headers: alice, status: http.StatusOK, after: page([]string{`{"n":1}`, `{"n":2}`, `{"n":3}`, `{"n":4}`}, "")},
		{name: "a first page", method: http.MethodGet, url: "/api/events?limit=2", headers: alice, status: http.StatusOK, after: page([]string{`{"n":1}`, `{"n":2}`}, "2")},
		{name: "the next page", method: http.MethodGet, url: "/api/events?after=2&limit=2", headers: alice, status: http.StatusOK, after: page([]string{`{"n":3}`, `{"n":4}`}, "4")},
		{name: "past the end", method: http.MethodGet, url: "/api/events?after=4&limit=2", headers: alice, status: http.StatusOK, contains: []string{`{"items":[]}`}},
		{name: "a bound key sees its session only", method: http.MethodGet, url: "/api/events", headers: bound, status: http.StatusOK, after: page([]string{`{"n":1}`, `{"n":4}`}, "")},
		{name: "a bound key pages by what was scanned", method: http.MethodGet, url: "/api/events?limit=3", headers: bound, status: http.StatusOK, after: page([]string{`{"n":1}`}, "3")},
		{name: "bob sees his own", method: http.MethodGet, url: "/api/events", headers: bearerHeader(e.bob.token), status: http.StatusOK, after: page([]string{`{"n":"bob"}`}, "")},
		{name: "a key without read", method: http.MethodGet, url: "/api/events", headers: sendOnly, status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "a negative after", method: http.MethodGet, url: "/api/events?after=-1", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a non-numeric after", method: http.MethodGet, url: "/api/events?after=abc", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a zero limit", method: http.MethodGet, url: "/api/events?limit=0", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "too big a limit", method: http.MethodGet, url: "/api/events?limit=1001", headers: alice, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "without credentials", method: http.MethodGet, url: "/api/events", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},
	})
}
