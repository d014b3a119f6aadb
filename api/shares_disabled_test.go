package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

// A disabled owner's shared session is reachable by no grantee, on every
// route and on the WebSocket, and again once the owner is enabled.
func TestDisabledOwnersSessionsReachNoGrantee(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	e.usePublishingRuntime()
	ctx := context.Background()
	if _, _, err := e.db.ShareSession(ctx, e.alice.id, e.shop.ID, e.bob.phone, juta.ShareViewer); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.db.ShareSession(ctx, e.alice.id, e.shop.ID, e.carol.phone, juta.ShareAgent); err != nil {
		t.Fatal(err)
	}
	root := e.mustCreate(t, "+60137778888", juta.RoleAdmin)
	addr := e.serve(t)
	conn := mustDialWS(t, addr, "?ticket="+e.mustTicket(t, bearerHeader(e.bob.token)), nil)
	eventually(t, "the shared subscription", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 1 })

	admin := func(verb string) {
		t.Helper()
		res := e.do(t, http.MethodPost, fmt.Sprintf("/api/admin/users/%d/%s", e.alice.id, verb), bearerHeader(root.token), "")
		if res.status != http.StatusOK {
			t.Fatalf("%s alice: %d %s", verb, res.status, res.body)
		}
	}
	admin("disable")
	sess := func(suffix string) string { return fmt.Sprintf("/api/sessions/%d%s", e.shop.ID, suffix) }
	bob, carol := bearerHeader(e.bob.token), bearerHeader(e.carol.token)
	send := `{"to":"+60129876543","text":"hello"}`
	hidden := []scenario{
		{name: "session", method: http.MethodGet, url: sess(""), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "messages", method: http.MethodGet, url: sess("/messages"), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "chats", method: http.MethodGet, url: sess("/chats"), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "agent send", method: http.MethodPost, url: sess("/messages"), headers: carol, body: send, status: 404, code: juta.ENOTFOUND},
		{name: "action", method: http.MethodGet, url: fmt.Sprintf("/api/actions/%d", e.shopAction.ID), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "agent acts", method: http.MethodPatch, url: fmt.Sprintf("/api/actions/%d", e.shopAction.ID), headers: carol,
			body: `{"status":"dismissed"}`, status: 404, code: juta.ENOTFOUND},
		{name: "action list", method: http.MethodGet, url: fmt.Sprintf("/api/actions?sessionId=%d", e.shop.ID), headers: bob,
			status: 200, contains: []string{`"items":[]`}},
		{name: "shared list", method: http.MethodGet, url: "/api/shared-sessions", headers: bob, status: 200, contains: []string{`"items":[]`}},
	}
	runScenarios(t, e.testEnv, hidden)
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"while disabled"}`)
	eventually(t, "the shared subscription to end", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 0 })
	e.rt.publish(e.bob.id, 0, "marker", `{}`)
	wantNoSessionFrame(t, readUntil(t, conn, "marker"), e.shop.ID)

	admin("enable")
	runScenarios(t, e.testEnv, []scenario{
		{name: "session again", method: http.MethodGet, url: sess(""), headers: bob, status: 200, contains: []string{`"name":"shop"`}},
	})
}
