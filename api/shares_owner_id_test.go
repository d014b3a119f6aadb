package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

// ownerIDMembers are the members that would name an account by its
// internal id in what a grantee reads.
var ownerIDMembers = []string{`"userId"`, `"ownerId"`}

// A grantee reads the shared session, its messages, chats and actions, but
// never the owner's internal id: not in a REST answer, not in an event.
func TestGranteesNeverSeeTheOwnersID(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	alice := bearerHeader(e.alice.token)
	sess := fmt.Sprintf("/api/sessions/%d", e.shop.ID)
	for _, g := range []struct{ phone, role string }{{e.bob.phone, "viewer"}, {e.carol.phone, "agent"}} {
		res := e.do(t, http.MethodPost, sess+"/shares", alice, fmt.Sprintf(`{"phoneNumber":%q,"role":%q}`, g.phone, g.role))
		if res.status != http.StatusCreated {
			t.Fatalf("share with %s: %d %s", g.role, res.status, res.body)
		}
	}
	for _, g := range []struct {
		name    string
		headers map[string]string
	}{{"viewer", bearerHeader(e.bob.token)}, {"agent", bearerHeader(e.carol.token)}} {
		t.Run(g.name, func(t *testing.T) {
			runScenarios(t, e.testEnv, []scenario{
				{name: "session", method: http.MethodGet, url: sess, headers: g.headers, status: 200,
					contains: []string{`"name":"shop"`}, absent: ownerIDMembers},
				{name: "messages", method: http.MethodGet, url: sess + "/messages", headers: g.headers, status: 200,
					contains: []string{"can you send the invoice?"}, absent: ownerIDMembers},
				{name: "chats", method: http.MethodGet, url: sess + "/chats", headers: g.headers, status: 200,
					contains: []string{"+60111111111"}, absent: ownerIDMembers},
				{name: "actions", method: http.MethodGet, url: fmt.Sprintf("/api/actions?sessionId=%d", e.shop.ID),
					headers: g.headers, status: 200, contains: []string{"Reply S1"}, absent: ownerIDMembers},
				{name: "action", method: http.MethodGet, url: fmt.Sprintf("/api/actions/%d", e.shopAction.ID),
					headers: g.headers, status: 200, contains: []string{"Reply S1"}, absent: ownerIDMembers},
				{name: "shared sessions", method: http.MethodGet, url: "/api/shared-sessions", headers: g.headers,
					status: 200, contains: []string{e.alice.phone}, absent: ownerIDMembers},
				{name: "own events", method: http.MethodGet, url: "/api/events", headers: g.headers, status: 200,
					contains: []string{juta.EventShareGranted}, absent: ownerIDMembers},
			})
		})
	}
}

// The shared session's live events reach the grantee's socket marked as
// shared, with neither the owner's id on the frame nor in a session.state
// event's session.
func TestGranteeFramesNameNoOwner(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	conn := e.bobSocketThenShare(t)
	wantNoOwnerID(t, string(rawFrameOf(t, conn, juta.EventShareGranted)))
	eventually(t, "the shared subscription", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 1 })

	state, err := json.Marshal(e.shop) // the owner's session as the runtime publishes it
	if err != nil {
		t.Fatal(err)
	}
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventSessionState, string(state))
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"shop"}`)
	for _, typ := range []string{juta.EventSessionState, juta.EventMessage} {
		msg := string(rawFrameOf(t, conn, typ))
		wantNoOwnerID(t, msg)
		if !strings.Contains(msg, `"shared":true`) {
			t.Errorf("a shared session's frame is not marked shared: %s", msg)
		}
	}
}

func wantNoOwnerID(t *testing.T, msg string) {
	t.Helper()
	for _, m := range ownerIDMembers {
		if strings.Contains(msg, m) {
			t.Errorf("a grantee's frame holds %s: %s", m, msg)
		}
	}
}
