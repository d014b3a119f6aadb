package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// actionsEnv gives alice a connected session (in the database and in the
// Runtime stand-in, with the same id) and two detected actions.
func actionsEnv(t *testing.T) (*testEnv, juta.Action, juta.Action) {
	t.Helper()
	e := newTestEnv(t)
	e.useActions(nil)
	ctx := context.Background()
	sess, err := e.db.CreateSession(ctx, e.alice.id, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if rs := e.rt.addSession(e.alice.id, "shop", juta.StateConnected); rs.ID != sess.ID {
		t.Fatalf("stand-in session id %d, database %d", rs.ID, sess.ID)
	}
	m, _, _, err := e.db.StoreMessage(ctx, juta.Message{UserID: e.alice.id, SessionID: sess.ID, Chat: "+60111111111",
		Sender: "+60111111111", WAID: "A1", Text: "awak free tak malam ni? boleh transfer RM250?", SentAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	// Overdue by an hour: "pending today" counts it at any hour, where an hour
	// ahead is tomorrow in the user's zone during its last hour of the day.
	due := time.Now().Add(-time.Hour)
	saved, _, _, err := e.db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionReplyNeeded, Title: "Reply: free tonight?", Confidence: 0.7, Draft: "Boleh, free malam ni."},
		{Type: juta.ActionPayment, Title: "Pay RM250.00", Amount: "250.00", Currency: "MYR", Confidence: 0.9, DueAt: &due},
	}})
	if err != nil || len(saved) != 2 {
		t.Fatalf("save detection = %v, %v", saved, err)
	}
	return e, saved[0], saved[1]
}

func TestActionScenarios(t *testing.T) {
	e, reply, pay := actionsEnv(t)
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	url := func(a juta.Action, suffix string) string { return fmt.Sprintf("/api/actions/%d%s", a.ID, suffix) }
	runScenarios(t, e, []scenario{
		{name: "list", method: http.MethodGet, url: "/api/actions", headers: alice, status: 200,
			contains: []string{`"type":"payment"`, `"amount":"250.00"`, `"type":"reply_needed"`, `"chat":"+60111111111"`}},
		{name: "filter by type", method: http.MethodGet, url: "/api/actions?type=payment", headers: alice, status: 200,
			contains: []string{`"payment"`}, absent: []string{`"reply_needed"`}},
		{name: "bad filter", method: http.MethodGet, url: "/api/actions?status=later", headers: alice, status: 400, code: juta.EINVALID},
		{name: "bad due window", method: http.MethodGet, url: "/api/actions?dueBefore=tomorrow", headers: alice, status: 400, code: juta.EINVALID},
		{name: "bob sees none", method: http.MethodGet, url: "/api/actions", headers: bob, status: 200, absent: []string{`"payment"`}},
		{name: "bob cannot read", method: http.MethodGet, url: url(pay, ""), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "bob cannot patch", method: http.MethodPatch, url: url(pay, ""), headers: bob, body: `{"status":"dismissed"}`, status: 404, code: juta.ENOTFOUND},
		{name: "bob cannot execute", method: http.MethodPost, url: url(reply, "/execute"), headers: bob, status: 404, code: juta.ENOTFOUND},
		{name: "not an id", method: http.MethodGet, url: "/api/actions/abc", headers: alice, status: 404, code: juta.ENOTFOUND},
		{name: "empty patch", method: http.MethodPatch, url: url(pay, ""), headers: alice, body: `{}`, status: 400, code: juta.EINVALID},
		{name: "unknown field", method: http.MethodPatch, url: url(pay, ""), headers: alice, body: `{"state":"done"}`, status: 400, code: juta.EINVALID},
		{name: "pending cannot be done", method: http.MethodPatch, url: url(pay, ""), headers: alice, body: `{"status":"done"}`, status: 409, code: juta.ESTATE},
		{name: "accept", method: http.MethodPatch, url: url(pay, ""), headers: alice, body: `{"status":"accepted"}`, status: 200, contains: []string{`"status":"accepted"`}},
		{name: "snooze", method: http.MethodPatch, url: url(pay, ""), headers: alice, body: `{"snoozeUntil":"2030-01-02T03:04:05+08:00"}`, status: 200, contains: []string{`"snoozeUntil":"2030-01-01T19:04:05Z"`}},
		{name: "payment is not executable", method: http.MethodPost, url: url(pay, "/execute"), headers: alice, status: 409, code: juta.ESTATE},
		{name: "execute sends the draft", method: http.MethodPost, url: url(reply, "/execute"), headers: alice, status: 200,
			contains: []string{`"status":"done"`, `"text":"Boleh, free malam ni."`, `"fromMe":true`}},
		{name: "execute again never sends twice", method: http.MethodPost, url: url(reply, "/execute"), headers: alice, status: 409, code: juta.ESTATE,
			after: func(t *testing.T, _ response) {
				if n := e.rt.count("SendText"); n != 1 {
					t.Fatalf("SendText called %d times, want 1", n)
				}
			}},
	})
}

// A failed send releases the claim: the action can be carried out later.
func TestExecuteFailedSendReleases(t *testing.T) {
	e, reply, _ := actionsEnv(t)
	if _, err := e.rt.StopSession(context.Background(), e.alice.id, reply.SessionID); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodPost, fmt.Sprintf("/api/actions/%d/execute", reply.ID), bearerHeader(e.alice.token), `{"text":"ok!"}`)
	checkProblem(t, res, http.StatusConflict, juta.ESTATE)
	a, err := e.db.Action(context.Background(), e.alice.id, reply.ID)
	if err != nil || a.Status != juta.ActionPending {
		t.Fatalf("after failed send: %+v, %v", a, err)
	}
}

// With an Idempotency-Key a retried execute replays the first answer and
// sends nothing more.
func TestExecuteIdempotencyKeyReplays(t *testing.T) {
	e, reply, _ := actionsEnv(t)
	e.srv.deps.Data.Idempotency = e.db
	h := bearerHeader(e.alice.token)
	h["Idempotency-Key"] = "exec-1"
	url := fmt.Sprintf("/api/actions/%d/execute", reply.ID)
	first := e.do(t, http.MethodPost, url, h, "")
	again := e.do(t, http.MethodPost, url, h, "")
	if first.status != 200 || again.status != 200 || string(first.body) != string(again.body) {
		t.Fatalf("first %d %s; retry %d %s", first.status, first.body, again.status, again.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the retry was not marked as replayed")
	}
	if n := e.rt.count("SendText"); n != 1 {
		t.Fatalf("SendText called %d times, want 1", n)
	}
}
