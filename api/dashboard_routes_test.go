package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

// newDashboardEnv is a REST env with the dashboard's stores.
func newDashboardEnv(t *testing.T) *restEnv {
	t.Helper()
	e := newRestEnv(t, nil)
	e.srv.deps.Data.Reads = e.db
	e.srv.deps.Auth.Logins = e.db
	e.srv.deps.Data.AdminStats = e.db
	e.srv.deps.Node.Figures = func() (int64, int64) { return 7, 1 }
	return e
}

func unreadOf(t *testing.T, res response) map[string]int {
	t.Helper()
	var page juta.Page[juta.Chat]
	if err := json.Unmarshal(res.body, &page); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, c := range page.Items {
		out[c.Chat] = c.Unread
	}
	return out
}

// The chat list counts each chat's unread messages for the caller; marking
// a chat read clears its count, and only the caller's own sessions can be
// marked.
func TestUnreadScenarios(t *testing.T) {
	t.Parallel()
	e := newDashboardEnv(t)
	shop := e.mustSession(t, e.alice.id, "Shop")
	const ali, siti = "+60111111111", "+60122222222"
	e.storeMsg(t, shop, ali, "a1", "hello")
	e.storeMsg(t, shop, ali, "a2", "are you there?")
	e.storeMsg(t, shop, siti, "s1", "invoice")
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	chats := fmt.Sprintf("/api/sessions/%d/chats", shop.ID)
	read := fmt.Sprintf("/api/sessions/%d/chats/read", shop.ID)
	wantUnread := func(want map[string]int) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			got := unreadOf(t, res)
			for chat, n := range want {
				if got[chat] != n {
					t.Errorf("unread of %s = %d, want %d (%v)", chat, got[chat], n, got)
				}
			}
		}
	}
	runScenarios(t, e.testEnv, []scenario{
		{name: "counts before reading", method: http.MethodGet, url: chats, headers: alice, status: 200,
			after: wantUnread(map[string]int{ali: 2, siti: 1})},
		{name: "total before reading", method: http.MethodGet, url: "/api/unread", headers: alice, status: 200,
			contains: []string{`"total":3`, fmt.Sprintf(`{"sessionId":%d,"unread":3}`, shop.ID)}},
		{name: "mark one chat read", method: http.MethodPost, url: read, headers: alice, body: `{"chat":"` + ali + `"}`, status: 204},
		{name: "its count is cleared", method: http.MethodGet, url: chats, headers: alice, status: 200,
			after: wantUnread(map[string]int{ali: 0, siti: 1})},
		{name: "total after reading", method: http.MethodGet, url: "/api/unread", headers: alice, status: 200,
			contains: []string{`"total":1`}},
		{name: "another user's session is a 404", method: http.MethodPost, url: read, headers: bob,
			body: `{"chat":"` + siti + `"}`, status: 404, code: juta.ENOTFOUND},
		{name: "a chat is required", method: http.MethodPost, url: read, headers: alice, body: `{}`, status: 400, code: juta.EINVALID},
		{name: "upTo must be an id", method: http.MethodPost, url: read, headers: alice,
			body: `{"chat":"` + siti + `","upTo":-1}`, status: 400, code: juta.EINVALID},
		{name: "bob has nothing unread", method: http.MethodGet, url: "/api/unread", headers: bob, status: 200,
			contains: []string{`"items":[]`, `"total":0`}},
		{name: "still unread for alice", method: http.MethodGet, url: chats, headers: alice, status: 200,
			after: wantUnread(map[string]int{siti: 1})},
	})
	e.storeMsg(t, shop, ali, "a3", "one more")
	runScenarios(t, e.testEnv, []scenario{
		{name: "a new message is unread", method: http.MethodGet, url: chats, headers: alice, status: 200,
			after: wantUnread(map[string]int{ali: 1, siti: 1})},
	})
}

// A user the session is shared with keeps a read marker of their own: their
// reading changes nothing for the owner, and the owner's nothing for them.
func TestUnreadPerReaderOfASharedSession(t *testing.T) {
	t.Parallel()
	e := newDashboardEnv(t)
	e.useShares(e.db)
	shop := e.mustSession(t, e.alice.id, "Shop")
	const ali = "+60111111111"
	e.storeMsg(t, shop, ali, "a1", "hello")
	if _, _, err := e.db.ShareSession(context.Background(), e.alice.id, shop.ID, e.bob.phone, juta.ShareViewer); err != nil {
		t.Fatal(err)
	}
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	chats := fmt.Sprintf("/api/sessions/%d/chats", shop.ID)
	read := fmt.Sprintf("/api/sessions/%d/chats/read", shop.ID)
	unread := func(who map[string]string) int {
		t.Helper()
		res := e.do(t, http.MethodGet, chats, who, "")
		if res.status != http.StatusOK {
			t.Fatalf("chats: %d %s", res.status, res.body)
		}
		return unreadOf(t, res)[ali]
	}
	if res := e.do(t, http.MethodPost, read, bob, `{"chat":"`+ali+`"}`); res.status != http.StatusNoContent {
		t.Fatalf("bob marks read: %d %s", res.status, res.body)
	}
	if a, b := unread(alice), unread(bob); a != 1 || b != 0 {
		t.Fatalf("after bob read: alice %d, bob %d; want 1, 0", a, b)
	}
	e.storeMsg(t, shop, ali, "a2", "again")
	if res := e.do(t, http.MethodPost, read, alice, `{"chat":"`+ali+`"}`); res.status != http.StatusNoContent {
		t.Fatalf("alice marks read: %d %s", res.status, res.body)
	}
	if a, b := unread(alice), unread(bob); a != 0 || b != 1 {
		t.Fatalf("after alice read: alice %d, bob %d; want 0, 1", a, b)
	}
}

type loginList struct {
	Items []juta.Login `json:"items"`
}

func (e *restEnv) logins(t *testing.T, token string) []juta.Login {
	t.Helper()
	res := e.do(t, http.MethodGet, "/api/me/logins", bearerHeader(token), "")
	if res.status != http.StatusOK {
		t.Fatalf("logins: %d %s", res.status, res.body)
	}
	var out loginList
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

func currentLogin(t *testing.T, list []juta.Login) int64 {
	t.Helper()
	for _, l := range list {
		if l.Current {
			return l.ID
		}
	}
	t.Fatalf("no current login in %+v", list)
	return 0
}

// The logins list shows each signed-in device without tokens; revoking one
// ends its access token and its WebSocket at once; "everywhere else" keeps
// only the caller's login; API keys and other users are refused.
func TestLoginsScenarios(t *testing.T) {
	t.Parallel()
	e := newDashboardEnv(t)
	addr := e.serve(t)
	phone := e.mustLogin(t, e.alice.phone, testPassword)
	laptop := e.mustLogin(t, e.alice.phone, testPassword)
	list := e.logins(t, laptop.Token)
	if len(list) != 3 { // the login of e.alice, phone and laptop
		t.Fatalf("logins = %+v, want 3", list)
	}
	raw, _ := json.Marshal(list)
	for _, secret := range []string{phone.RefreshToken, laptop.RefreshToken, phone.Token} {
		if strings.Contains(string(raw), secret) {
			t.Fatal("a token is in the logins list")
		}
	}
	// Logins made once the store is wired note their client (the in-memory
	// test requests carry no user agent).
	for _, l := range list[:2] {
		if l.IP == "" {
			t.Errorf("login %d: client %q ip %q, want the test client's address", l.ID, l.Client, l.IP)
		}
	}
	phoneID := currentLogin(t, e.logins(t, phone.Token))
	if phoneID == currentLogin(t, list) {
		t.Fatal("two logins share an id")
	}
	conn := e.mustStream(t, addr, e.alice.id, bearerHeader(phone.Token))
	key := apiKeyHeader(e.mustKey(t, laptop.Token, `{"name":"k","scopes":["manage","read"]}`))
	runScenarios(t, e.testEnv, []scenario{
		{name: "an API key cannot list logins", method: http.MethodGet, url: "/api/me/logins", headers: key,
			status: 403, code: juta.EFORBIDDEN},
		{name: "bob cannot revoke alice's login", method: http.MethodDelete, url: fmt.Sprintf("/api/me/logins/%d", phoneID),
			headers: bearerHeader(e.bob.token), status: 404, code: juta.ENOTFOUND},
		{name: "a bad id is a 404", method: http.MethodDelete, url: "/api/me/logins/x",
			headers: bearerHeader(laptop.Token), status: 404, code: juta.ENOTFOUND},
		{name: "revoke the phone's login", method: http.MethodDelete, url: fmt.Sprintf("/api/me/logins/%d", phoneID),
			headers: bearerHeader(laptop.Token), status: 204},
		{name: "its access token is refused", method: http.MethodGet, url: "/api/me",
			headers: bearerHeader(phone.Token), status: 401, code: juta.EUNAUTHORIZED},
		{name: "its refresh token is refused", method: http.MethodPost, url: "/api/auth/refresh",
			body: refreshBody(phone.RefreshToken), status: 401, code: juta.EUNAUTHORIZED},
		{name: "revoking it again is a 404", method: http.MethodDelete, url: fmt.Sprintf("/api/me/logins/%d", phoneID),
			headers: bearerHeader(laptop.Token), status: 404, code: juta.ENOTFOUND},
		{name: "sign out everywhere else", method: http.MethodPost, url: "/api/me/logins/revoke-others",
			headers: bearerHeader(laptop.Token), status: 200, contains: []string{`"revoked":1`}},
		{name: "the first login is over", method: http.MethodGet, url: "/api/me",
			headers: bearerHeader(e.alice.token), status: 401, code: juta.EUNAUTHORIZED},
		{name: "the caller's own login stays", method: http.MethodGet, url: "/api/me",
			headers: bearerHeader(laptop.Token), status: 200},
	})
	wantClose(t, "the revoked login's socket", conn, CloseCredentialEnded)
	if left := e.logins(t, laptop.Token); len(left) != 1 || !left[0].Current {
		t.Fatalf("logins left = %+v", left)
	}
}

// The administrators' overview answers administrators only; to everyone
// else it does not exist, as every admin route.
func TestAdminStatsScenarios(t *testing.T) {
	t.Parallel()
	e := newDashboardEnv(t)
	root := e.mustCreate(t, "+60137778888", juta.RoleAdmin)
	shop := e.mustSession(t, e.alice.id, "Shop")
	e.storeMsg(t, shop, "+60111111111", "a1", "hello")
	key := apiKeyHeader(e.mustKey(t, root.token, `{"name":"k","scopes":["manage","read"]}`))
	runScenarios(t, e.testEnv, []scenario{
		{name: "an administrator sees the figures", method: http.MethodGet, url: "/api/admin/stats",
			headers: bearerHeader(root.token), status: 200, after: func(t *testing.T, res response) {
				var st juta.AdminStats
				if err := json.Unmarshal(res.body, &st); err != nil {
					t.Fatal(err)
				}
				if st.Users.Total != 3 || st.Users.Active != 1 || st.Users.Resting != 2 || st.Ingest.LastHour != 1 ||
					st.Count(juta.StateNew) != 1 {
					t.Errorf("figures = %+v", st)
				}
				n := st.Node
				if n.Node != "node-a" || n.Database != "ok" || n.ActiveUsers != 7 || n.IngestHeld != 1 || n.InFlightRequests < 1 {
					t.Errorf("node = %+v", n)
				}
			}},
		{name: "a user gets no admin page", method: http.MethodGet, url: "/api/admin/stats",
			headers: bearerHeader(e.alice.token), status: 404, code: juta.ENOTFOUND},
		{name: "nor does an administrator's API key", method: http.MethodGet, url: "/api/admin/stats",
			headers: key, status: 404, code: juta.ENOTFOUND},
		{name: "nor anonymous callers", method: http.MethodGet, url: "/api/admin/stats", status: 401, code: juta.EUNAUTHORIZED},
	})
}
