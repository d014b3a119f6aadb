package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	fastws "github.com/fasthttp/websocket"

	"github.com/juta-app/juta"
)

// publishingRuntime hands the events the database publishes to live
// subscribers, as the actor system does, so share notices reach the
// grantee's socket. usePublishingRuntime installs it.
type publishingRuntime struct {
	*sendRuntime
}

func (r publishingRuntime) Publish(uid juta.UserID, evs []juta.Event) {
	for _, ev := range evs {
		r.publish(uid, ev.SessionID, ev.Type, string(ev.Data))
	}
}

// usePublishingRuntime makes the server and the database's publisher use a
// publishingRuntime.
func (e *restEnv) usePublishingRuntime() {
	r := publishingRuntime{e.send}
	e.srv.deps.Runtime = r
	e.relay.Set(r)
}

// readUntil reads frames until one of type typ and returns those before it.
func readUntil(t *testing.T, conn *fastws.Conn, typ string) []frame {
	t.Helper()
	var before []frame
	for {
		f := readFrame(t, conn)
		if f.Type == typ {
			return before
		}
		before = append(before, f)
	}
}

func wantNoSessionFrame(t *testing.T, frames []frame, sid juta.SessionID) {
	t.Helper()
	for _, f := range frames {
		if f.SessionID == sid && f.Type == juta.EventMessage {
			t.Fatalf("a frame of session %d came through: %+v", sid, f)
		}
	}
}

// A grantee's socket gets the shared session's live events (and not the
// owner's other sessions') from the moment of the share, and none after the
// revoke.
func TestShareWebSocketLiveEvents(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	conn := e.bobSocketThenShare(t)
	if f := readFrame(t, conn); f.Type != juta.EventShareGranted || f.SessionID != e.shop.ID {
		t.Fatalf("first frame %+v, want %s of session %d", f, juta.EventShareGranted, e.shop.ID)
	}
	eventually(t, "the shared subscription", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 1 })
	e.rt.publish(e.alice.id, e.home.ID, juta.EventMessage, `{"text":"home"}`)
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"shop"}`)
	f := readFrame(t, conn)
	if f.Type != juta.EventMessage || f.SessionID != e.shop.ID || string(f.Data) != `{"text":"shop"}` {
		t.Fatalf("frame %+v, want the shop's message only", f)
	}
	if !frameIsShared(t, conn, e) {
		t.Fatal("shared frame is not marked shared")
	}

	res := e.do(t, http.MethodDelete, fmt.Sprintf("/api/sessions/%d/shares/%s", e.shop.ID, e.bob.phone), bearerHeader(e.alice.token), "")
	if res.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"after revoke"}`)
	wantNoSessionFrame(t, readUntil(t, conn, juta.EventShareRevoked), e.shop.ID)
	eventually(t, "the shared subscription to end", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 0 })
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"later"}`)
	e.rt.publish(e.bob.id, 0, "marker", `{}`)
	wantNoSessionFrame(t, readUntil(t, conn, "marker"), e.shop.ID)
}

// frameIsShared publishes one more shop event and reads its raw frame for
// the shared mark (the test frame type does not decode it).
func frameIsShared(t *testing.T, conn *fastws.Conn, e *shareEnv) bool {
	t.Helper()
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"again"}`)
	_, msg, err := conn.ReadMessage()
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	return strings.Contains(string(msg), `"shared":true`) && strings.Contains(string(msg), `"again"`)
}

// A revoke whose notice never reaches the socket still stops the session's
// events: each shared event is checked against the share before it is sent.
func TestShareWebSocketRevokeWithoutNotice(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	ctx := context.Background()
	if _, _, err := e.db.ShareSession(ctx, e.alice.id, e.shop.ID, e.bob.phone, juta.ShareAgent); err != nil {
		t.Fatal(err)
	}
	addr := e.serve(t)
	conn := mustDialWS(t, addr, "?ticket="+e.mustTicket(t, bearerHeader(e.bob.token)), nil)
	eventually(t, "the shared subscription", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 1 })
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"before"}`)
	if f := readFrame(t, conn); f.SessionID != e.shop.ID || string(f.Data) != `{"text":"before"}` {
		t.Fatalf("frame %+v, want the shop's message", f)
	}
	// Revoked in the store only: the stand-in Runtime publishes nothing.
	if _, err := e.db.RevokeShare(ctx, e.alice.id, e.shop.ID, e.bob.id); err != nil {
		t.Fatal(err)
	}
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"after"}`)
	eventually(t, "the shared subscription to end", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 0 })
	e.rt.publish(e.bob.id, 0, "marker", `{}`)
	wantNoSessionFrame(t, readUntil(t, conn, "marker"), e.shop.ID)
}

// bobSocketThenShare opens bob's WebSocket (on a runtime that publishes what
// is sent), waits until it is subscribed, and then has alice share her shop
// with him as a viewer.
func (e *shareEnv) bobSocketThenShare(t *testing.T) *fastws.Conn {
	t.Helper()
	e.usePublishingRuntime()
	addr := e.serve(t)
	bob := bearerHeader(e.bob.token)
	conn := mustDialWS(t, addr, "?ticket="+e.mustTicket(t, bob), nil)
	eventually(t, "bob's socket subscribed", func() bool { return e.rt.liveSubscriptions(e.bob.id) == 1 })
	res := e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/shares", e.shop.ID), bearerHeader(e.alice.token),
		fmt.Sprintf(`{"phoneNumber":%q,"role":"viewer"}`, e.bob.phone))
	if res.status != http.StatusCreated {
		t.Fatalf("share: %d %s", res.status, res.body)
	}
	return conn
}
