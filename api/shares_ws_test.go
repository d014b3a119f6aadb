package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
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
// events at once: the revoke forgets the cached share check before it is
// answered, so the next shared event is checked against the store.
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
	// The stand-in Runtime publishes nothing: no share.revoked notice.
	res := e.do(t, http.MethodDelete, fmt.Sprintf("/api/sessions/%d/shares/%s", e.shop.ID, e.bob.phone), bearerHeader(e.alice.token), "")
	if res.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"after"}`)
	eventually(t, "the shared subscription to end", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 0 })
	e.rt.publish(e.bob.id, 0, "marker", `{}`)
	wantNoSessionFrame(t, readUntil(t, conn, "marker"), e.shop.ID)
}

// countingShares counts the share checks the sockets make.
type countingShares struct {
	juta.ShareStore
	checks atomic.Int32
}

func (c *countingShares) ShareOf(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Share, error) {
	c.checks.Add(1)
	return c.ShareStore.ShareOf(ctx, uid, sid)
}

// However many sockets follow an owner's shared sessions, the node holds one
// subscription to that owner, and the share checks are cached, not made per
// event. A revoked grantee stops receiving at once; the others go on.
func TestSharedSessionsOneSubscriptionPerOwner(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	counting := &countingShares{ShareStore: e.db}
	e.useShares(counting)
	ctx := context.Background()
	for _, u := range []testUser{e.bob, e.carol} {
		for _, s := range []juta.Session{e.shop, e.home} {
			if _, _, err := e.db.ShareSession(ctx, e.alice.id, s.ID, u.phone, juta.ShareViewer); err != nil {
				t.Fatal(err)
			}
		}
	}
	addr := e.serve(t)
	var bobs, carols []*fastws.Conn
	for range 2 {
		bobs = append(bobs, mustDialWS(t, addr, "?ticket="+e.mustTicket(t, bearerHeader(e.bob.token)), nil))
		carols = append(carols, mustDialWS(t, addr, "?ticket="+e.mustTicket(t, bearerHeader(e.carol.token)), nil))
	}
	eventually(t, "every socket subscribed", func() bool {
		return e.rt.liveSubscriptions(e.bob.id) == 2 && e.rt.liveSubscriptions(e.carol.id) == 2
	})
	eventually(t, "4 sockets following 2 sessions each", func() bool { return e.srv.stream.Followers(e.alice.id) == 8 })
	eventually(t, "the owner's stream", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 1 })
	const events = 20
	for i := range events {
		e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, fmt.Sprintf(`{"n":%d}`, i))
	}
	for k, conn := range append(append([]*fastws.Conn(nil), bobs...), carols...) {
		for i := range events {
			if f := readFrame(t, conn); f.SessionID != e.shop.ID || string(f.Data) != fmt.Sprintf(`{"n":%d}`, i) {
				t.Fatalf("socket %d: frame %+v, want shop event %d", k, f, i)
			}
		}
	}
	if n := e.rt.liveSubscriptions(e.alice.id); n != 1 {
		t.Fatalf("%d subscriptions to the owner's stream, want 1", n)
	}
	if n := counting.checks.Load(); n != 0 {
		t.Fatalf("%d share checks for %d events on 4 sockets, want none (confirmed when the sockets opened)", n, events)
	}

	res := e.do(t, http.MethodDelete, fmt.Sprintf("/api/sessions/%d/shares/%s", e.shop.ID, e.bob.phone), bearerHeader(e.alice.token), "")
	if res.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"text":"after revoke"}`)
	e.rt.publish(e.bob.id, 0, "marker", `{}`)
	for _, conn := range bobs {
		wantNoSessionFrame(t, readUntil(t, conn, "marker"), e.shop.ID)
	}
	for _, conn := range carols {
		if f := readFrame(t, conn); f.SessionID != e.shop.ID || string(f.Data) != `{"text":"after revoke"}` {
			t.Fatalf("carol's frame %+v, want the shop's message", f)
		}
	}
	if n := e.rt.liveSubscriptions(e.alice.id); n != 1 {
		t.Fatalf("%d subscriptions to the owner's stream after the revoke, want 1 (carol and bob's home)", n)
	}
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
