package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// maxWebhooks is the store's cap (persistence.MaxWebhooksPerUser).
const maxWebhooks = 25

func newLimitsEnv(t *testing.T, l Limits) *shareEnv {
	t.Helper()
	e := &shareEnv{restEnv: newRestEnv(t, func(c *Config) { c.Limits = l })}
	e.useActions(e.db)
	e.useShares(e.db)
	e.srv.SetWebhooks(WebhookDeps{Store: e.db})
	e.carol = e.mustCreate(t, "+60133334444", juta.RoleUser)
	e.dave = e.mustCreate(t, "+60135556666", juta.RoleUser)
	e.shop = e.mustSession(t, e.alice.id, "shop")
	return e
}

// Each account has caps on what it holds: sessions (an upstream connection
// each), API keys, webhooks (403 quota_exceeded) and unredeemed WebSocket
// tickets (429 with Retry-After). Another account is not affected.
func TestPerAccountCaps(t *testing.T) {
	t.Parallel()
	e := newLimitsEnv(t, Limits{Sessions: 2, Tickets: 2, APIKeys: 1})
	for i := 1; i < maxWebhooks; i++ {
		mustCreateWebhook(t, e.testEnv, bearerHeader(e.alice.token), `{"url":"https://hooks.example.com/in"}`)
	}
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	key := `{"name":"k","scopes":["read"]}`
	hook := `{"url":"https://hooks.example.com/in"}`
	post := func(name, url string, h map[string]string, body string, status int, code string) scenario {
		return scenario{name: name, method: http.MethodPost, url: url, headers: h, body: body, status: status, code: code}
	}
	runScenarios(t, e.testEnv, []scenario{
		post("second session", "/api/sessions", alice, `{"name":"two"}`, 201, ""),
		post("third session is over the cap", "/api/sessions", alice, `{"name":"three"}`, 403, juta.EQUOTA),
		post("bob's sessions are his own", "/api/sessions", bob, `{"name":"bob"}`, 201, ""),
		post("first key", "/api/keys", alice, key, 201, ""),
		post("second key is over the cap", "/api/keys", alice, key, 403, juta.EQUOTA),
		post("last webhook", "/api/webhooks", alice, hook, 201, ""),
		post("one more webhook is over the cap", "/api/webhooks", alice, hook, 403, juta.EQUOTA),
		post("first ticket", "/api/ws-ticket", alice, "", 201, ""),
		post("second ticket", "/api/ws-ticket", alice, "", 201, ""),
		{name: "third ticket in flight waits", method: http.MethodPost, url: "/api/ws-ticket", headers: alice,
			status: 429, code: juta.ERATELIMITED, after: func(t *testing.T, res response) {
				if res.header.Get("Retry-After") == "" {
					t.Error("no Retry-After")
				}
			}},
		post("bob still gets tickets", "/api/ws-ticket", bob, "", 201, ""),
		{name: "a deleted session frees its place", method: http.MethodDelete, url: fmt.Sprintf("/api/sessions/%d", e.shop.ID),
			headers: alice, status: 204},
		post("so a new one fits", "/api/sessions", alice, `{"name":"again"}`, 201, ""),
	})
}

// Shares name grantees by phone number: no answer hands out another
// account's internal id, and revoking takes the phone the list shows.
func TestSharesHideUserIDs(t *testing.T) {
	t.Parallel()
	e := newLimitsEnv(t, Limits{})
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	sess := fmt.Sprintf("/api/sessions/%d", e.shop.ID)
	ids := []string{`"userId"`, `"ownerId"`}
	runScenarios(t, e.testEnv, []scenario{
		{name: "share", method: http.MethodPost, url: sess + "/shares", headers: alice,
			body: fmt.Sprintf(`{"phoneNumber":%q,"role":"viewer"}`, e.bob.phone), status: 201, absent: ids},
		{name: "share with carol", method: http.MethodPost, url: sess + "/shares", headers: alice,
			body: fmt.Sprintf(`{"phoneNumber":%q,"role":"agent"}`, e.carol.phone), status: 201, absent: ids},
		{name: "list", method: http.MethodGet, url: sess + "/shares", headers: alice, status: 200,
			contains: []string{e.bob.phone}, absent: ids},
		{name: "shared with bob", method: http.MethodGet, url: "/api/shared-sessions", headers: bob, status: 200,
			contains: []string{e.alice.phone}, absent: ids},
		{name: "bob's event of the share", method: http.MethodGet, url: "/api/events", headers: bob, status: 200,
			contains: []string{juta.EventShareGranted}, absent: ids},
		{name: "revoke by internal id is not a thing", method: http.MethodDelete,
			url: fmt.Sprintf("%s/shares/%d", sess, e.bob.id), headers: alice, status: 404, code: juta.ENOTFOUND},
		{name: "revoke a phone that has no share", method: http.MethodDelete, url: sess + "/shares/" + e.dave.phone,
			headers: alice, status: 404, code: juta.ENOTFOUND},
		{name: "revoke by phone", method: http.MethodDelete, url: sess + "/shares/" + e.bob.phone, headers: alice, status: 204},
		{name: "revoke by escaped phone", method: http.MethodDelete, url: sess + "/shares/%2B" + strings.TrimPrefix(e.carol.phone, "+"),
			headers: alice, status: 204},
		{name: "both gone", method: http.MethodGet, url: sess + "/shares", headers: alice, status: 200,
			contains: []string{`"items":[]`}},
	})
}

// Sharing is rate-limited per account: numbers cannot be tried at speed.
func TestShareRequestsAreRateLimited(t *testing.T) {
	t.Parallel()
	e := newLimitsEnv(t, Limits{Shares: RateLimit{Burst: 3, Every: time.Hour}})
	url := fmt.Sprintf("/api/sessions/%d/shares", e.shop.ID)
	var scs []scenario
	for i := range 3 {
		scs = append(scs, scenario{name: fmt.Sprintf("try %d", i), method: http.MethodPost, url: url,
			headers: bearerHeader(e.alice.token), body: fmt.Sprintf(`{"phoneNumber":"+6012999000%d","role":"viewer"}`, i),
			status: 404, code: juta.ENOTFOUND})
	}
	scs = append(scs,
		scenario{name: "the fourth waits", method: http.MethodPost, url: url, headers: bearerHeader(e.alice.token),
			body: fmt.Sprintf(`{"phoneNumber":%q,"role":"viewer"}`, e.bob.phone), status: 429, code: juta.ERATELIMITED},
		scenario{name: "another account is not held up", method: http.MethodPost, url: url, headers: bearerHeader(e.bob.token),
			body: fmt.Sprintf(`{"phoneNumber":%q,"role":"viewer"}`, e.carol.phone), status: 404, code: juta.ENOTFOUND},
	)
	runScenarios(t, e.testEnv, scs)
}

// Concurrent creations by one account cannot all pass the count.
func TestSessionCapHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := newLimitsEnv(t, Limits{Sessions: 3}) // alice has one already
	e.srv.deps.Runtime = slowCreate{e.send}
	var created atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.do(t, http.MethodPost, "/api/sessions", bearerHeader(e.alice.token), `{"name":"rush"}`)
			switch res.status {
			case http.StatusCreated:
				created.Add(1)
			case http.StatusForbidden:
			default:
				t.Errorf("create: %d %s", res.status, res.body)
			}
		}()
	}
	wg.Wait()
	if n := created.Load(); n != 2 {
		t.Fatalf("%d sessions created, want 2 (cap 3, one held)", n)
	}
}

// slowCreate takes a while to create a session, as a real WhatsApp client
// does: it widens the window between counting and creating (it shapes the
// load; it waits for nothing).
type slowCreate struct{ *sendRuntime }

func (r slowCreate) CreateSession(ctx context.Context, uid juta.UserID, name string) (juta.Session, error) {
	time.Sleep(20 * time.Millisecond)
	return r.sendRuntime.CreateSession(ctx, uid, name)
}
