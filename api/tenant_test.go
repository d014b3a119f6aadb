package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

// The cross-tenant suite: alice (A) owns one of everything the API has ids
// for; bob (B) calls every operation of the OpenAPI document with her ids.
// It iterates over the document, so a new route is covered on its own, and a
// new kind of id the fixture cannot build fails the suite.

// Alice's data that must never reach anyone else.
const (
	tenantSessionName = "alice-secret-shop"
	tenantPhone       = "+60177000111" // the linked WhatsApp number of her session
	tenantPeer        = "+60111222333"
	tenantText        = "alice secret message text"
	tenantActionTitle = "alice secret action"
	tenantHookURL     = "https://alice-hooks.example.com/in"
	tenantKeyName     = "alice-secret-key"
	tenantDeliveryID  = 9_100_001
	tenantGrantee     = "+60177000222" // the account alice shares her session with
)

type tenantFixture struct {
	e            *restEnv
	alice, bob   map[string]string // access-token headers
	aliceSession juta.Session
	bobSession   juta.Session
	// ids holds alice's objects by the path segment that names them.
	ids     map[string]int64
	secrets []string
	// upload and spareUpload are ids of alice's chunked uploads (10 bytes
	// each, nothing sent yet); the spare one is for DELETE.
	upload, spareUpload string
}

func newTenantFixture(t *testing.T) *tenantFixture {
	t.Helper()
	e := newRestEnv(t, nil)
	e.useActions(e.db)
	e.useShares(e.db)
	e.srv.deps.Data.Stats = e.db
	e.srv.deps.Data.Reads = e.db
	e.srv.deps.Auth.Logins = e.db
	e.srv.deps.Data.AdminStats = e.db
	e.srv.SetWebhooks(WebhookDeps{Store: e.db})
	f := &tenantFixture{e: e, alice: bearerHeader(e.alice.token), bob: bearerHeader(e.bob.token)}
	ctx := context.Background()

	sess := e.mustSession(t, e.alice.id, tenantSessionName)
	e.rt.mu.Lock()
	sess.Phone = tenantPhone
	e.rt.sessions[sess.ID] = sess
	e.rt.mu.Unlock()
	f.aliceSession = sess
	f.bobSession = e.mustSession(t, e.bob.id, "bob-shop")

	msg := e.storeMsg(t, sess, tenantPeer, "WA-ALICE-1", tenantText)
	saved, _, _, err := e.db.SaveDetection(ctx, juta.Detection{Message: msg, Actions: []juta.Action{
		{Type: juta.ActionReplyNeeded, Title: tenantActionTitle, Confidence: 0.8, Draft: "alice secret draft"},
	}})
	if err != nil || len(saved) != 1 {
		t.Fatalf("save detection: %v, %v", saved, err)
	}
	hook := mustCreateWebhook(t, e.testEnv, f.alice,
		fmt.Sprintf(`{"url":%q,"events":["*"],"sessionId":%d}`, tenantHookURL, sess.ID))
	_, err = e.db.Pool().Exec(ctx, `INSERT INTO webhook_deliveries
		(id, user_id, webhook_id, cursor, event_type, status, attempts, last_status, last_error)
		VALUES ($1, $2, $3, 1, 'message', 'dead', 8, 500, 'HTTP 500')`, tenantDeliveryID, e.alice.id, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	key := f.mustKey(t, fmt.Sprintf(`{"name":%q,"scopes":["read"],"sessionId":%d}`, tenantKeyName, sess.ID))
	// Alice shares her session with carol, who is neither side of the attacks.
	carol := e.mustCreate(t, tenantGrantee, juta.RoleUser)
	if _, _, err := e.db.ShareSession(ctx, e.alice.id, sess.ID, carol.phone, juta.ShareAgent); err != nil {
		t.Fatal(err)
	}

	// A photo whose file is cached, so that its media route serves it.
	photo := []byte("alice's transfer slip")
	media := storeMedia(t, e, sess, "WA-ALICE-PHOTO", juta.Content{Kind: juta.KindImage, MIME: "image/jpeg"}, photo)
	if _, err := juta.PutBlob(ctx, e.db, e.alice.id, photo, 0); err != nil {
		t.Fatal(err)
	}
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db, Uploads: e.db}
	// Two chunked uploads of hers: one to act on, one for the abandoning.
	for _, id := range []*string{&f.upload, &f.spareUpload} {
		u, err := e.db.CreateUpload(ctx, e.alice.id, juta.PendingUpload{Session: sess.ID, MIME: "application/pdf",
			Kind: juta.KindDocument, Size: 10}, 0)
		if err != nil {
			t.Fatal(err)
		}
		*id = u.ID
	}

	logins, err := e.db.Logins(ctx, e.alice.id)
	if err != nil || len(logins) == 0 {
		t.Fatalf("alice's logins: %v, %v", logins, err)
	}
	f.ids = map[string]int64{
		"logins":     logins[0].ID,
		"messages":   media.ID,
		"sessions":   int64(sess.ID),
		"actions":    saved[0].ID,
		"webhooks":   int64(hook.ID),
		"deliveries": tenantDeliveryID,
		"keys":       key.ID,
		"users":      int64(e.alice.id),
	}
	f.secrets = []string{tenantSessionName, tenantPhone, e.alice.phone, tenantGrantee, tenantPeer, tenantText,
		tenantActionTitle, "alice-hooks.example.com", tenantKeyName, key.Key, "alice secret draft", string(photo)}
	return f
}

type tenantKey struct {
	ID  int64  `json:"id"`
	Key string `json:"key"`
}

// mustKey creates one of alice's API keys with an access token.
func (f *tenantFixture) mustKey(t *testing.T, body string) tenantKey {
	t.Helper()
	res := f.e.do(t, http.MethodPost, "/api/keys", f.alice, body)
	var k tenantKey
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &k) != nil || k.Key == "" {
		t.Fatalf("create key %s: %d %s", body, res.status, res.body)
	}
	return k
}

// url fills the operation's path with the fixture's ids; a parameter it has
// no id for fails the test.
func (f *tenantFixture) url(t *testing.T, o docOp, ids map[string]int64) string {
	t.Helper()
	u, missing := fillPath(o.path, func(param, resource string) (string, bool) {
		if param == "phoneNumber" {
			return url.PathEscape(tenantGrantee), true // shares are named by the grantee's phone
		}
		if param == "uploadId" { // uploads are named by random strings
			if o.method == http.MethodDelete {
				return f.spareUpload, true
			}
			return f.upload, true
		}
		id, ok := ids[resource]
		return strconv.FormatInt(id, 10), ok
	})
	if len(missing) > 0 {
		t.Fatalf("%s: the cross-tenant suite cannot build alice's id for %v: add it to the fixture", o, missing)
	}
	return u
}

// body is the operation's documented example; a body the suite cannot
// build fails the test rather than testing validation instead of ownership.
func body(t *testing.T, o docOp) string {
	t.Helper()
	ex := o.example()
	if o.op.RequestBody != nil && o.op.RequestBody.Required && (ex == "" || ex == "null") {
		t.Fatalf("%s takes a body but documents no example", o)
	}
	if ex == "null" {
		return ""
	}
	return ex
}

// absent fails when b holds any of alice's data.
func (f *tenantFixture) absent(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, s := range f.secrets {
		if strings.Contains(string(b), s) {
			t.Errorf("%s: the answer holds alice's %q: %s", what, s, b)
		}
	}
}

// attackIDs calls every operation of the document that takes an id with
// ids and headers, and wants 404 not_found with none of alice's data.
func (f *tenantFixture) attackIDs(t *testing.T, doc oaDoc, headers map[string]string, ids map[string]int64) int {
	t.Helper()
	n := 0
	for _, o := range doc.ops() {
		if len(o.pathParams()) == 0 {
			continue
		}
		n++
		t.Run(o.String(), func(t *testing.T) {
			h := map[string]string{headerIdempotencyKey: "tenant-" + o.op.OperationID}
			for k, v := range headers {
				h[k] = v
			}
			res := f.e.do(t, o.method, f.url(t, o, ids), h, body(t, o))
			if res.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404; body: %s", res.status, res.body)
			}
			checkProblem(t, res, http.StatusNotFound, juta.ENOTFOUND)
			f.absent(t, o.String(), res.body)
		})
	}
	return n
}

// intact checks that alice's objects survived whatever was tried on them.
func (f *tenantFixture) intact(t *testing.T) {
	t.Helper()
	e, id := f.e, f.ids
	checks := []scenario{
		{name: "session untouched", method: http.MethodGet, url: fmt.Sprintf("/api/sessions/%d", id["sessions"]),
			headers: f.alice, status: 200, contains: []string{`"name":"` + tenantSessionName + `"`, `"state":"connected"`}},
		{name: "action still pending", method: http.MethodGet, url: fmt.Sprintf("/api/actions/%d", id["actions"]),
			headers: f.alice, status: 200, contains: []string{`"status":"pending"`}},
		{name: "key still live", method: http.MethodGet, url: "/api/keys", headers: f.alice, status: 200,
			contains: []string{tenantKeyName}},
		{name: "delivery still dead", method: http.MethodGet,
			url:     fmt.Sprintf("/api/webhooks/%d/deliveries?status=dead", id["webhooks"]),
			headers: f.alice, status: 200, contains: []string{fmt.Sprintf(`"id":%d`, tenantDeliveryID)}},
	}
	runScenarios(t, e.testEnv, checks)
	// The Runtime is the last wall for access tokens (it checks ownership);
	// no call may have acted on alice's session in her name.
	e.rt.mu.Lock()
	defer e.rt.mu.Unlock()
	for _, c := range e.rt.calls {
		if c.uid == e.alice.id && c.sid == f.aliceSession.ID && mutating[c.method] {
			t.Errorf("%s reached alice's session", c.method)
		}
	}
}

func TestTenantIsolationByID(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	doc := fetchDoc(t, f.e.testEnv)
	if n := f.attackIDs(t, doc, f.bob, f.ids); n < 20 {
		t.Errorf("only %d operations with ids were tried", n)
	}
	f.intact(t)
}

// A key bound to one of alice's sessions reaches nothing of her other one,
// whatever its scopes.
func TestTenantSessionBoundKey(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	doc := fetchDoc(t, f.e.testEnv)
	other := f.e.mustSession(t, f.e.alice.id, "alice-other")
	bound := f.mustKey(t, fmt.Sprintf(`{"name":"bound","scopes":["read","send","manage"],"sessionId":%d}`, other.ID))
	f.secrets = []string{tenantSessionName, tenantPhone, tenantPeer, tenantText, tenantActionTitle, "alice-hooks.example.com", tenantKeyName}
	f.attackIDs(t, doc, apiKeyHeader(bound.Key), f.ids)
	f.intact(t)
}

// A read key cannot call any operation that needs send or manage.
func TestTenantReadKeyCannotWrite(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	doc := fetchDoc(t, f.e.testEnv)
	reader := apiKeyHeader(f.mustKey(t, `{"name":"reader","scopes":["read"]}`).Key)
	n := 0
	for _, o := range doc.ops() {
		if o.op.Scope != juta.ScopeSend && o.op.Scope != juta.ScopeManage {
			continue
		}
		n++
		t.Run(o.String(), func(t *testing.T) {
			res := f.e.do(t, o.method, f.url(t, o, f.ids), reader, body(t, o))
			checkProblem(t, res, http.StatusForbidden, juta.EFORBIDDEN)
		})
	}
	if n < 10 {
		t.Errorf("only %d write operations were tried", n)
	}
	send := fmt.Sprintf("/api/sessions/%d/messages", f.aliceSession.ID)
	res := f.e.do(t, http.MethodPost, send, reader, `{"to":"+60111111111","text":"hi"}`)
	checkProblem(t, res, http.StatusForbidden, juta.EFORBIDDEN)
	f.intact(t)
}

// Every list bob can read, and the ids he can name in a body or a query,
// show him nothing of alice's.
func TestTenantListsAndBodyIDs(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	doc := fetchDoc(t, f.e.testEnv)
	for _, o := range doc.ops() {
		if o.method != http.MethodGet || len(o.pathParams()) > 0 || o.path == "/api/ws" || len(o.op.Security) == 0 {
			continue
		}
		t.Run(o.String(), func(t *testing.T) {
			res := f.e.do(t, o.method, o.path, f.bob, "")
			if res.status >= 500 {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			f.absent(t, o.String(), res.body)
		})
	}
	sid := f.aliceSession.ID
	runScenarios(t, f.e.testEnv, []scenario{
		{name: "webhook on alice's session", method: http.MethodPost, url: "/api/webhooks", headers: f.bob,
			body: fmt.Sprintf(`{"url":"https://b.example.com/","sessionId":%d}`, sid), status: 404, code: juta.ENOTFOUND},
		{name: "key bound to alice's session", method: http.MethodPost, url: "/api/keys", headers: f.bob,
			body: fmt.Sprintf(`{"name":"b","scopes":["read"],"sessionId":%d}`, sid), status: 404, code: juta.ENOTFOUND},
		{name: "actions of alice's session", method: http.MethodGet, url: fmt.Sprintf("/api/actions?sessionId=%d", sid),
			headers: f.bob, status: 200, contains: []string{`"items":[]`}},
		{name: "alice sees her own", method: http.MethodGet, url: "/api/events", headers: f.alice, status: 200,
			contains: []string{tenantText}},
	})
	f.intact(t)
}

// mutating are the Runtime calls that change a session.
var mutating = map[string]bool{
	"SendText": true, "StartSession": true, "StopSession": true, "LogoutSession": true,
	"DeleteSession": true, "RenameSession": true, "PairPhone": true,
}
