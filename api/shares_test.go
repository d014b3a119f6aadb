package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

// shareEnv: alice owns "shop" (shared below) and "home" (never shared), each
// with one detected action; carol is a third account and dave a stranger.
type shareEnv struct {
	*restEnv
	carol, dave            testUser
	shop, home             juta.Session
	shopAction, homeAction juta.Action
}

func newShareEnv(t *testing.T) *shareEnv {
	t.Helper()
	e := &shareEnv{restEnv: newRestEnv(t, nil)}
	e.useActions(e.db)
	e.useShares(e.db)
	e.carol = e.mustCreate(t, "+60133334444", juta.RoleUser)
	e.dave = e.mustCreate(t, "+60135556666", juta.RoleUser)
	e.shop = e.mustSession(t, e.alice.id, "shop")
	e.home = e.mustSession(t, e.alice.id, "home")
	e.shopAction = e.mustAction(t, e.shop, "S1")
	e.homeAction = e.mustAction(t, e.home, "H1")
	return e
}

func (e *shareEnv) mustAction(t *testing.T, sess juta.Session, waID string) juta.Action {
	t.Helper()
	m := e.storeMsg(t, sess, "+60111111111", waID, "can you send the invoice?")
	saved, _, _, err := e.db.SaveDetection(context.Background(), juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionReplyNeeded, Title: "Reply " + waID, Confidence: 0.8, Draft: "Sure"}}})
	if err != nil || len(saved) != 1 {
		t.Fatalf("save detection: %v, %v", saved, err)
	}
	return saved[0]
}

// wantLastCall checks that the latest Runtime call of method was on alice's
// behalf: a grantee acts with the owner's id.
func (e *shareEnv) wantLastCall(method string) func(*testing.T, response) {
	return func(t *testing.T, _ response) {
		var c testCall
		e.rt.mu.Lock()
		for _, call := range e.rt.calls {
			if call.method == method {
				c = call
			}
		}
		e.rt.mu.Unlock()
		if c.method != method || c.uid != e.alice.id || c.sid != e.shop.ID {
			t.Fatalf("last Runtime call %+v, want %s by alice on session %d", c, method, e.shop.ID)
		}
	}
}

func TestShareScenarios(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	carol, dave := bearerHeader(e.carol.token), bearerHeader(e.dave.token)
	sess := func(s juta.Session, suffix string) string { return fmt.Sprintf("/api/sessions/%d%s", s.ID, suffix) }
	act := func(a juta.Action, suffix string) string { return fmt.Sprintf("/api/actions/%d%s", a.ID, suffix) }
	share := func(phone, role string) string { return fmt.Sprintf(`{"phoneNumber":%q,"role":%q}`, phone, role) }
	send := `{"to":"+60129876543","text":"hello"}`
	runScenarios(t, e.testEnv, []scenario{
		{name: "owner shares as viewer", method: http.MethodPost, url: sess(e.shop, "/shares"), headers: alice,
			body: share(e.bob.phone, "viewer"), status: 201, contains: []string{`"role":"viewer"`, `"phoneNumber":"` + e.bob.phone + `"`}},
		{name: "owner shares as agent", method: http.MethodPost, url: sess(e.shop, "/shares"), headers: alice,
			body: share(e.carol.phone, "agent"), status: 201, contains: []string{`"role":"agent"`}},
		{name: "unknown phone is a 404", method: http.MethodPost, url: sess(e.shop, "/shares"), headers: alice,
			body: share("+60129990000", "viewer"), status: 404, code: juta.ENOTFOUND, contains: []string{"session or account not found"}},
		{name: "unknown role", method: http.MethodPost, url: sess(e.shop, "/shares"), headers: alice,
			body: share(e.dave.phone, "owner"), status: 400, code: juta.EINVALID},
		{name: "a stranger cannot share it", method: http.MethodPost, url: sess(e.shop, "/shares"), headers: dave,
			body: share(e.dave.phone, "agent"), status: 404, code: juta.ENOTFOUND, contains: []string{"session or account not found"}},
		{name: "a grantee cannot share it", method: http.MethodPost, url: sess(e.shop, "/shares"), headers: carol,
			body: share(e.dave.phone, "agent"), status: 403, code: juta.EFORBIDDEN},
		{name: "owner lists shares", method: http.MethodGet, url: sess(e.shop, "/shares"), headers: alice, status: 200,
			contains: []string{e.bob.phone, e.carol.phone}},
		{name: "a grantee cannot list shares", method: http.MethodGet, url: sess(e.shop, "/shares"), headers: bob, status: 403, code: juta.EFORBIDDEN},
		{name: "shared with bob", method: http.MethodGet, url: "/api/shared-sessions", headers: bob, status: 200,
			contains: []string{`"ownerPhoneNumber":"` + e.alice.phone + `"`, `"role":"viewer"`, `"name":"shop"`}},
		{name: "nothing shared with dave", method: http.MethodGet, url: "/api/shared-sessions", headers: dave, status: 200,
			contains: []string{`"items":[]`}},

		{name: "viewer reads messages", method: http.MethodGet, url: sess(e.shop, "/messages"), headers: bob, status: 200,
			contains: []string{`"waId":"S1"`}, absent: []string{`"waId":"H1"`}},
		{name: "viewer reads the session", method: http.MethodGet, url: sess(e.shop, ""), headers: bob, status: 200,
			contains: []string{`"name":"shop"`}},
		{name: "viewer cannot send", method: http.MethodPost, url: sess(e.shop, "/messages"), headers: bob, body: send,
			status: 403, code: juta.EFORBIDDEN},
		{name: "agent sends as the owner", method: http.MethodPost, url: sess(e.shop, "/messages"), headers: carol, body: send,
			status: 201, after: e.wantLastCall("SendText")},
		{name: "stranger cannot read", method: http.MethodGet, url: sess(e.shop, "/messages"), headers: dave, status: 404, code: juta.ENOTFOUND},
		{name: "stranger cannot send", method: http.MethodPost, url: sess(e.shop, "/messages"), headers: dave, body: send,
			status: 404, code: juta.ENOTFOUND},
		{name: "the unshared session stays hidden", method: http.MethodGet, url: sess(e.home, "/messages"), headers: carol,
			status: 404, code: juta.ENOTFOUND},
		{name: "viewer cannot stop", method: http.MethodPost, url: sess(e.shop, "/stop"), headers: bob, status: 403, code: juta.EFORBIDDEN},
		{name: "agent cannot stop", method: http.MethodPost, url: sess(e.shop, "/stop"), headers: carol, status: 403, code: juta.EFORBIDDEN},
		{name: "agent cannot rename", method: http.MethodPatch, url: sess(e.shop, ""), headers: carol, body: `{"name":"mine"}`,
			status: 403, code: juta.EFORBIDDEN},
		{name: "agent cannot delete", method: http.MethodDelete, url: sess(e.shop, ""), headers: carol, status: 403, code: juta.EFORBIDDEN},
		{name: "agent cannot see the QR", method: http.MethodGet, url: sess(e.shop, "/qr"), headers: carol, status: 403, code: juta.EFORBIDDEN},
		{name: "agent cannot revoke", method: http.MethodDelete, url: sess(e.shop, "/shares/"+e.bob.phone), headers: carol,
			status: 403, code: juta.EFORBIDDEN},

		{name: "viewer reads the action", method: http.MethodGet, url: act(e.shopAction, ""), headers: bob, status: 200,
			contains: []string{`"title":"Reply S1"`}},
		{name: "viewer lists the session's actions", method: http.MethodGet, url: fmt.Sprintf("/api/actions?sessionId=%d", e.shop.ID),
			headers: bob, status: 200, contains: []string{`"title":"Reply S1"`}, absent: []string{"Reply H1"}},
		{name: "stranger lists none of them", method: http.MethodGet, url: fmt.Sprintf("/api/actions?sessionId=%d", e.shop.ID),
			headers: dave, status: 200, contains: []string{`"items":[]`}},
		{name: "the unshared session's actions stay hidden", method: http.MethodGet, url: fmt.Sprintf("/api/actions?sessionId=%d", e.home.ID),
			headers: bob, status: 200, contains: []string{`"items":[]`}},
		{name: "viewer cannot act", method: http.MethodPatch, url: act(e.shopAction, ""), headers: bob, body: `{"status":"dismissed"}`,
			status: 403, code: juta.EFORBIDDEN},
		{name: "agent acts", method: http.MethodPatch, url: act(e.shopAction, ""), headers: carol, body: `{"status":"accepted"}`,
			status: 200, contains: []string{`"status":"accepted"`}},
		{name: "agent cannot reach another session's action", method: http.MethodPatch, url: act(e.homeAction, ""), headers: carol,
			body: `{"status":"dismissed"}`, status: 404, code: juta.ENOTFOUND},
		{name: "stranger cannot read the action", method: http.MethodGet, url: act(e.shopAction, ""), headers: dave, status: 404, code: juta.ENOTFOUND},
		{name: "agent executes the reply as the owner", method: http.MethodPost, url: act(e.shopAction, "/execute"), headers: carol,
			status: 200, after: e.wantLastCall("SendText")},

		{name: "owner revokes bob", method: http.MethodDelete, url: sess(e.shop, "/shares/"+e.bob.phone), headers: alice, status: 204},
		{name: "revoked viewer gets a 404 at once", method: http.MethodGet, url: sess(e.shop, "/messages"), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "revoked viewer loses the action", method: http.MethodGet, url: act(e.shopAction, ""), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "revoked viewer lists nothing", method: http.MethodGet, url: fmt.Sprintf("/api/actions?sessionId=%d", e.shop.ID),
			headers: bob, status: 200, contains: []string{`"items":[]`}},
		{name: "revoked share is gone", method: http.MethodDelete, url: sess(e.shop, "/shares/"+e.bob.phone), headers: alice,
			status: 404, code: juta.ENOTFOUND},
		{name: "agent still there", method: http.MethodGet, url: sess(e.shop, "/shares"), headers: alice, status: 200,
			contains: []string{e.carol.phone}, absent: []string{e.bob.phone}},
	})
}

// A session-bound key of the grantee reaches only its own session: shares do
// not widen it.
func TestShareNotThroughBoundKey(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	ctx := context.Background()
	if _, _, err := e.db.ShareSession(ctx, e.alice.id, e.shop.ID, e.carol.phone, juta.ShareAgent); err != nil {
		t.Fatal(err)
	}
	own := e.mustSession(t, e.carol.id, "carol-own")
	res := e.do(t, http.MethodPost, "/api/keys", bearerHeader(e.carol.token),
		fmt.Sprintf(`{"name":"bound","scopes":["read","send"],"sessionId":%d}`, own.ID))
	var k tenantKey
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &k) != nil {
		t.Fatalf("create key: %d %s", res.status, res.body)
	}
	runScenarios(t, e.testEnv, []scenario{
		{name: "shared session", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d/messages", e.shop.ID),
			headers: apiKeyHeader(k.Key), status: 404, code: juta.ENOTFOUND},
		{name: "shared action", method: http.MethodGet, url: fmt.Sprintf("/api/actions/%d", e.shopAction.ID),
			headers: apiKeyHeader(k.Key), status: 404, code: juta.ENOTFOUND},
		{name: "shared list", method: http.MethodGet, url: "/api/shared-sessions",
			headers: apiKeyHeader(k.Key), status: 200, contains: []string{`"items":[]`}},
	})
}
