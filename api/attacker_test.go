package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

// The attacker suite: every authenticated operation of the served OpenAPI
// document, called with alice's ids by a stranger, a viewer and an agent of
// her session, a read key of hers, a disabled account and a revoked login.
// Each gets an exact status, and no answer holds what the principal may not
// see: a linking code for anyone, alice's keys, webhooks and internal id
// for her grantees, anything of hers for the others. Keys bound to another session
// are walked by the cross-tenant suite (TestTenantSessionBoundKey).

const attackerLinkingCode = "2@alice-linking-secret"

// attackerStatus is what each principal gets from an operation on alice's
// ids: a viewer and an agent of her session, and a read key of hers. A
// grantee's calls without an id act on the grantee's own account.
var attackerStatus = map[string]struct{ viewer, agent, readKey int }{
	"POST /api/auth/password": {204, 204, 403},
	"GET /api/me":             {200, 200, 200},
	"PATCH /api/me":           {200, 200, 403},
	"GET /api/prayer-zones":   {200, 200, 200},
	"GET /api/stats":          {200, 200, 200},
	// Logins are the caller's own; a read key lacks the manage scope.
	"GET /api/me/logins":                 {200, 200, 403},
	"DELETE /api/me/logins/{id}":         {404, 404, 403},
	"POST /api/me/logins/revoke-others":  {200, 200, 403},
	"GET /api/unread":                    {200, 200, 200},
	"POST /api/sessions/{id}/chats/read": {204, 204, 204},
	"GET /api/admin/stats":               {404, 404, 404},

	"POST /api/keys":        {201, 201, 403},
	"GET /api/keys":         {200, 200, 403},
	"DELETE /api/keys/{id}": {404, 404, 403},

	"GET /api/admin/sessions":                       {404, 404, 404},
	"GET /api/admin/users":                          {404, 404, 404},
	"POST /api/admin/users/{id}/disable":            {404, 404, 404},
	"POST /api/admin/users/{id}/enable":             {404, 404, 404},
	"GET /api/status":                               {200, 200, 200},
	"GET /api/sessions":                             {200, 200, 200},
	"POST /api/sessions":                            {201, 201, 403},
	"GET /api/sessions/{id}":                        {200, 200, 200},
	"PATCH /api/sessions/{id}":                      {403, 403, 403},
	"DELETE /api/sessions/{id}":                     {403, 403, 403},
	"GET /api/sessions/{id}/qr":                     {403, 403, 403},
	"POST /api/sessions/{id}/pair":                  {403, 403, 403},
	"POST /api/sessions/{id}/start":                 {403, 403, 403},
	"POST /api/sessions/{id}/stop":                  {403, 403, 403},
	"POST /api/sessions/{id}/logout":                {403, 403, 403},
	"GET /api/sessions/{id}/messages":               {200, 200, 200},
	"GET /api/sessions/{id}/messages/{id}":          {200, 200, 200},
	"GET /api/sessions/{id}/messages/{id}/media":    {200, 200, 200},
	"GET /api/sessions/{id}/messages/{id}/versions": {200, 200, 200},
	"POST /api/sessions/{id}/messages":              {403, 201, 403},
	"POST /api/sessions/{id}/media":                 {403, 201, 403},
	// Chunked uploads: access as the media upload.
	"POST /api/sessions/{id}/uploads":         {403, 201, 403},
	"GET /api/sessions/{id}/uploads/{id}":     {403, 200, 403},
	"PUT /api/sessions/{id}/uploads/{id}":     {403, 200, 403},
	"DELETE /api/sessions/{id}/uploads/{id}":  {403, 204, 403},
	"GET /api/media/limits":                   {200, 200, 200},
	"DELETE /api/sessions/{id}/messages/{id}": {403, 200, 403},
	"GET /api/sessions/{id}/chats":            {200, 200, 200},
	"POST /api/sessions/{id}/shares":          {403, 403, 403},
	"GET /api/sessions/{id}/shares":           {403, 403, 403},
	"DELETE /api/sessions/{id}/shares/{id}":   {403, 403, 403},
	"GET /api/shared-sessions":                {200, 200, 200},

	"POST /api/webhooks":                                {201, 201, 403},
	"GET /api/webhooks":                                 {200, 200, 200},
	"GET /api/webhooks/{id}":                            {404, 404, 200},
	"DELETE /api/webhooks/{id}":                         {404, 404, 403},
	"GET /api/webhooks/{id}/deliveries":                 {404, 404, 200},
	"POST /api/webhooks/{id}/deliveries/{id}/redeliver": {404, 404, 403},
	"GET /api/events":                                   {200, 200, 200},
	"POST /api/ws-ticket":                               {201, 201, 201},
	"GET /api/actions":                                  {200, 200, 200},
	"GET /api/actions/{id}":                             {200, 200, 200},
	"PATCH /api/actions/{id}":                           {403, 200, 403},
	"POST /api/actions/{id}/execute":                    {403, 200, 403},
	"POST /api/chat":                                    {501, 501, 501},
}

// attackerKey names an operation with its parameters blanked, so the table
// does not depend on how the document names them.
func attackerKey(o docOp) string {
	return o.method + " " + pathParamRE.ReplaceAllString(o.path, "{id}")
}

type attacker struct {
	name    string
	headers map[string]string
	status  func(o docOp) int
	// secrets must not appear in any answer.
	secrets []string
}

func TestAttackerSuite(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	e := f.e
	ctx := context.Background()
	doc := fetchDoc(t, e.testEnv)

	// Alice's session shows a linking code, and her log holds a session.qr
	// event written the old way, with the code in it.
	e.rt.mu.Lock()
	e.rt.qr[f.aliceSession.ID] = juta.QRCode{Code: attackerLinkingCode}
	e.rt.mu.Unlock()
	if _, err := e.db.AppendEvent(ctx, e.alice.id, f.aliceSession.ID, juta.EventSessionQR,
		[]byte(fmt.Sprintf(`{"sessionId":%d,"code":%q}`, f.aliceSession.ID, attackerLinkingCode))); err != nil {
		t.Fatal(err)
	}

	viewer := e.mustCreate(t, "+60177000333", juta.RoleUser)
	if _, _, err := e.db.ShareSession(ctx, e.alice.id, f.aliceSession.ID, viewer.phone, juta.ShareViewer); err != nil {
		t.Fatal(err)
	}
	agent := e.mustLogin(t, tenantGrantee, testPassword) // carol, the fixture's agent
	readKey := f.mustKey(t, `{"name":"reader","scopes":["read"]}`).Key

	disabled := e.mustCreate(t, "+60177000444", juta.RoleUser)
	disabledKey := e.mustKey(t, disabled.token, `{"name":"k","scopes":["read","send","manage"]}`)
	root := e.mustCreate(t, "+60177000555", juta.RoleAdmin)
	if res := e.do(t, http.MethodPost, fmt.Sprintf("/api/admin/users/%d/disable", disabled.id), bearerHeader(root.token), ""); res.status != 200 {
		t.Fatalf("disable: %d %s", res.status, res.body)
	}
	revoked := e.mustLogin(t, e.alice.phone, testPassword)
	if res := e.do(t, http.MethodPost, "/api/auth/logout", nil, refreshBody(revoked.RefreshToken)); res.status != 204 {
		t.Fatalf("logout: %d", res.status)
	}

	// Grantees never learn alice's internal id either (issue 8 point 7).
	hidden := append([]string{attackerLinkingCode, "alice-hooks.example.com", tenantKeyName, readKey}, ownerIDMembers...)
	everything := append(append([]string{attackerLinkingCode}, f.secrets...), readKey)
	refused := func(docOp) int { return http.StatusUnauthorized }
	// A stranger gets 404 for every id of alice's, and acts on its own
	// account where an operation names none (as a grantee does).
	stranger := func(o docOp) int {
		if len(o.pathParams()) > 0 {
			return http.StatusNotFound
		}
		return attackerStatus[attackerKey(o)].viewer
	}
	attackers := []attacker{
		{"stranger", f.bob, stranger, everything},
		{"viewer", bearerHeader(viewer.token), func(o docOp) int { return attackerStatus[attackerKey(o)].viewer }, hidden},
		{"agent", bearerHeader(agent.Token), func(o docOp) int { return attackerStatus[attackerKey(o)].agent }, hidden},
		{"read key", apiKeyHeader(readKey), func(o docOp) int { return attackerStatus[attackerKey(o)].readKey },
			[]string{attackerLinkingCode, readKey}},
		{"disabled account's token", bearerHeader(disabled.token), refused, everything},
		{"disabled account's key", apiKeyHeader(disabledKey), refused, everything},
		{"revoked login", bearerHeader(revoked.Token), refused, everything},
	}

	ops := 0
	for _, o := range doc.ops() {
		if len(o.op.Security) == 0 || o.path == "/api/ws" || o.path == "/metrics" {
			continue // public, walked below, or the node's metrics (no account's data)
		}
		if _, ok := attackerStatus[attackerKey(o)]; !ok {
			t.Errorf("%s is not in the attacker table: add what each principal must get", attackerKey(o))
			continue
		}
		ops++
		for _, a := range attackers {
			t.Run(a.name+"/"+o.String(), func(t *testing.T) {
				h := map[string]string{headerIdempotencyKey: "attack-" + a.name + "-" + o.op.OperationID, "Content-Range": partRange}
				for k, v := range a.headers {
					h[k] = v
				}
				res := e.do(t, o.method, f.url(t, o, f.ids), h, body(t, o))
				want := a.status(o)
				if res.status != want {
					t.Fatalf("status %d, want %d; body: %s", res.status, want, res.body)
				}
				if want >= 400 {
					checkProblem(t, res, want, problemCode(want))
				}
				for _, s := range a.secrets {
					if strings.Contains(string(res.body), s) {
						t.Errorf("the answer holds %q: %s", s, res.body)
					}
				}
			})
		}
	}
	if ops < 35 {
		t.Errorf("only %d operations walked", ops)
	}

	// The WebSocket: refused outright to the ended credentials, and without
	// the linking code to everyone who may open one.
	addr := e.serve(t)
	for _, a := range attackers[4:] {
		h := http.Header{}
		for k, v := range a.headers {
			h.Set(k, v)
		}
		if _, res, err := dialWS(t, addr, "", h); err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s opened the WebSocket: %v %+v", a.name, err, res)
		}
	}
}

// problemCode is the problem code of an HTTP status in this suite.
func problemCode(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return juta.EUNAUTHORIZED
	case http.StatusForbidden:
		return juta.EFORBIDDEN
	case http.StatusNotFound:
		return juta.ENOTFOUND
	case http.StatusNotImplemented:
		return juta.ENOTIMPL
	}
	return ""
}
