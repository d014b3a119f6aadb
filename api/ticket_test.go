package api

import (
	"fmt"
	"net/http"
	"testing"

	fastws "github.com/fasthttp/websocket"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/stream"
)

func TestWebSocketTickets(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, func(c *Config) { c.AllowedOrigins = []string{"https://app.example.com"} })
	addr := e.serve(t)
	alice := bearerHeader(e.alice.token)
	uid := e.alice.id

	t.Run("a ticket opens one socket, once", func(t *testing.T) {
		ticket := e.mustTicket(t, alice)
		conn := mustDialWS(t, addr, "?ticket="+ticket, nil)
		eventually(t, "the subscription", func() bool { return e.rt.liveSubscriptions(uid) >= 1 })
		ev := e.rt.publish(uid, 1, juta.EventMessage, `{"id":1}`)
		if f := readFrame(t, conn); f.Cursor != ev.Cursor {
			t.Fatalf("frame %+v, want cursor %d", f, ev.Cursor)
		}
		_ = conn.Close()
		_, res, err := dialWS(t, addr, "?ticket="+ticket, nil)
		if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("second use: err %v, response %+v; want 401", err, res)
		}
	})

	t.Run("an expired ticket is refused", func(t *testing.T) {
		ticket := e.mustTicket(t, alice)
		e.clock.advance(stream.TicketTTL)
		_, res, err := dialWS(t, addr, "?ticket="+ticket, nil)
		if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("expired ticket: err %v, response %+v; want 401", err, res)
		}
	})

	origin := func(o string) http.Header { return http.Header{"Origin": {o}} }
	for _, c := range []struct {
		name   string
		query  func() string
		header http.Header
		status int // 0: the upgrade succeeds
	}{
		{"an allowed origin", func() string { return "?ticket=" + e.mustTicket(t, alice) }, origin("https://app.example.com"), 0},
		{"an allowed origin spelled with its default port", func() string { return "?ticket=" + e.mustTicket(t, alice) }, origin("https://APP.example.com:443"), 0},
		{"the server's own origin", func() string { return "?ticket=" + e.mustTicket(t, alice) }, origin("http://" + addr), 0},
		{"no origin (not a browser)", func() string { return "" }, http.Header{"Authorization": {"Bearer " + e.alice.token}}, 0},
		{"another origin", func() string { return "?ticket=" + e.mustTicket(t, alice) }, origin("https://evil.example"), http.StatusForbidden},
		{"an allowed host on another scheme", func() string { return "?ticket=" + e.mustTicket(t, alice) }, origin("http://app.example.com"), http.StatusForbidden},
		{"a null origin", func() string { return "?ticket=" + e.mustTicket(t, alice) }, origin("null"), http.StatusForbidden},
		{"a token in the query", func() string { return "?token=" + e.alice.token }, nil, http.StatusUnauthorized},
		{"a made-up ticket", func() string { return "?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, nil, http.StatusUnauthorized},
		{"a malformed ticket", func() string { return "?ticket=short" }, nil, http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, res, err := dialWS(t, addr, c.query(), c.header)
			if c.status == 0 {
				if err != nil {
					t.Fatalf("dial: %v (%+v)", err, res)
				}
				_ = conn.Close()
				return
			}
			if err == nil || res == nil || res.StatusCode != c.status {
				t.Fatalf("dial: err %v, response %+v; want status %d", err, res, c.status)
			}
		})
	}

	t.Run("tickets need read", func(t *testing.T) {
		key := apiKeyHeader(e.mustKey(t, e.alice.token, `{"name":"send only","scopes":["send"]}`))
		res := e.do(t, http.MethodPost, "/api/ws-ticket", key, "")
		scenario{status: http.StatusForbidden, code: juta.EFORBIDDEN}.check(t, res)
		res = e.do(t, http.MethodPost, "/api/ws-ticket", nil, "")
		scenario{status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED}.check(t, res)
	})
}

func TestWebSocketBoundKeyAndResume(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	addr := e.serve(t)
	uid := e.alice.id
	shop := e.mustSession(t, uid, "Shop")
	home := e.mustSession(t, uid, "Home")
	key := apiKeyHeader(e.mustKey(t, e.alice.token, fmt.Sprintf(`{"name":"shop","scopes":["read"],"sessionId":%d}`, shop.ID)))

	// The ticket carries the key's binding: other sessions' events are not sent.
	conn := mustDialWS(t, addr, "?ticket="+e.mustTicket(t, key), nil)
	eventually(t, "the subscription", func() bool { return e.rt.liveSubscriptions(uid) == 1 })
	e.rt.publish(uid, home.ID, juta.EventMessage, `{"home":1}`)
	e.rt.publish(uid, 0, juta.EventSessionState, `{"account":1}`)
	first := e.rt.publish(uid, shop.ID, juta.EventMessage, `{"shop":1}`)
	if f := readFrame(t, conn); f.Cursor != first.Cursor || f.SessionID != shop.ID {
		t.Fatalf("frame %+v, want the shop event %d", f, first.Cursor)
	}

	// The Runtime drops a consumer that fell behind: the socket closes
	// cleanly, and the client resumes from its last cursor with nothing lost.
	e.rt.endSubscriptions(uid)
	if code := readClose(t, conn); code != fastws.CloseNormalClosure {
		t.Fatalf("close code = %d, want %d", code, fastws.CloseNormalClosure)
	}
	missed := e.rt.publish(uid, shop.ID, juta.EventMessage, `{"shop":2}`)
	resumed := mustDialWS(t, addr, fmt.Sprintf("?after=%d&ticket=%s", first.Cursor, e.mustTicket(t, key)), nil)
	if f := readFrame(t, resumed); f.Cursor != missed.Cursor || string(f.Data) != `{"shop":2}` {
		t.Fatalf("resumed frame %+v, want the missed event %d", f, missed.Cursor)
	}
}
