package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	fastws "github.com/fasthttp/websocket"

	"github.com/juta-app/juta"
)

// leakedQR is a session.qr document as it was logged before linking codes
// left the event log; old rows and a careless writer must not leak it.
const leakedCode = "2@leaked-linking-code"

func leakedQRData(sid juta.SessionID) string {
	return fmt.Sprintf(`{"sessionId":%d,"code":%q,"expiresAt":"2026-01-01T00:00:00Z"}`, sid, leakedCode)
}

// A linking code reaches no one through the event channels: not a viewer's
// or an agent's socket, not a read key's socket or event page, not even the
// owner's (the owner and manage keys fetch it from the QR route, which every
// other principal is refused). Each still learns that a code is ready.
func TestLinkingCodesReachOnlyThoseWhoMayLink(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	e.usePublishingRuntime()
	ctx := context.Background()
	for _, g := range []struct {
		u    testUser
		role juta.ShareRole
	}{{e.bob, juta.ShareViewer}, {e.carol, juta.ShareAgent}} {
		if _, _, err := e.db.ShareSession(ctx, e.alice.id, e.shop.ID, g.u.phone, g.role); err != nil {
			t.Fatal(err)
		}
	}
	readKey := map[string]string{"X-Api-Key": e.mustKey(t, e.alice.token, `{"name":"reader","scopes":["read"]}`)}
	addr := e.serve(t)
	who := map[string]map[string]string{
		"viewer": bearerHeader(e.bob.token), "agent": bearerHeader(e.carol.token),
		"read key": readKey, "owner": bearerHeader(e.alice.token),
	}
	for name, h := range who {
		if name == "owner" {
			continue
		}
		res := e.do(t, http.MethodGet, fmt.Sprintf("/api/sessions/%d/qr", e.shop.ID), h, "")
		if res.status != http.StatusForbidden || bytes.Contains(res.body, []byte("qr-code")) {
			t.Errorf("%s: GET qr = %d %s, want 403", name, res.status, res.body)
		}
	}

	conns := map[string]*fastws.Conn{}
	for name, h := range who {
		conns[name] = mustDialWS(t, addr, "?ticket="+e.mustTicket(t, h), nil)
	}
	// The node's one shared subscription (both grantees' feeds) and two
	// sockets of alice's own follow her stream.
	eventually(t, "both grantees following the shop", func() bool { return e.srv.stream.Followers(e.alice.id) == 2 })
	eventually(t, "every socket subscribed", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 3 })
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventSessionQR, leakedQRData(e.shop.ID))
	for name, c := range conns {
		raw := rawFrameOf(t, c, juta.EventSessionQR)
		if bytes.Contains(raw, []byte(leakedCode)) || !bytes.Contains(raw, []byte(`"expiresAt":"2026-01-01T00:00:00Z"`)) {
			t.Errorf("%s's socket got %s, want the notice without the code", name, raw)
		}
	}

	if _, err := e.db.AppendEvent(ctx, e.alice.id, e.shop.ID, juta.EventSessionQR, []byte(leakedQRData(e.shop.ID))); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"read key", "owner"} {
		res := e.do(t, http.MethodGet, "/api/events", who[name], "")
		if res.status != http.StatusOK || bytes.Contains(res.body, []byte(leakedCode)) || !bytes.Contains(res.body, []byte(`"session.qr"`)) {
			t.Errorf("%s: GET /api/events = %d %s, want the notice without the code", name, res.status, res.body)
		}
	}
}

// rawFrameOf reads frames until one of type typ and returns it as sent.
func rawFrameOf(t *testing.T, conn *fastws.Conn, typ string) []byte {
	t.Helper()
	for {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, msg, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("read frame: %v", err)
		}
		var f frame
		if json.Unmarshal(msg, &f) == nil && f.Type == typ {
			return msg
		}
	}
}
