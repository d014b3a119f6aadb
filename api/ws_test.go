package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	fastws "github.com/fasthttp/websocket"

	"github.com/juta-app/juta"
)

// dialWS opens /api/ws with the given query and headers.
func dialWS(t *testing.T, addr, query string, header http.Header) (*fastws.Conn, *http.Response, error) {
	t.Helper()
	d := fastws.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, res, err := d.Dial("ws://"+addr+"/api/ws"+query, header)
	if conn != nil {
		t.Cleanup(func() { _ = conn.Close() })
	}
	return conn, res, err
}

func mustDialWS(t *testing.T, addr, query string, header http.Header) *fastws.Conn {
	t.Helper()
	conn, _, err := dialWS(t, addr, query, header)
	if err != nil {
		t.Fatalf("dial websocket: %v", err)
	}
	return conn
}

type frame struct {
	Cursor    int64           `json:"cursor"`
	Type      string          `json:"type"`
	SessionID juta.SessionID  `json:"sessionId"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"createdAt"`
}

func readFrame(t *testing.T, conn *fastws.Conn) frame {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, msg, err := conn.ReadMessage()
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	if typ != fastws.TextMessage {
		t.Fatalf("frame type %d, want text", typ)
	}
	var f frame
	if err := json.Unmarshal(msg, &f); err != nil {
		t.Fatalf("frame %s: %v", msg, err)
	}
	return f
}

// readClose reads until the server's close frame and returns its code.
func readClose(t *testing.T, conn *fastws.Conn) int {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		var ce *fastws.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			t.Fatalf("read until close: %v", err)
		}
	}
}

func TestWebSocketStreamsAndResumes(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	addr := e.serve(t)
	uid := e.alice.id
	auth := http.Header{"Authorization": {"Bearer " + e.alice.token}}

	conn := mustDialWS(t, addr, "", auth)
	eventually(t, "the subscription", func() bool { return e.rt.liveSubscriptions(uid) == 1 })
	e.rt.publish(e.bob.id, 9, juta.EventMessage, `{"text":"for bob"}`)
	first := e.rt.publish(uid, 3, juta.EventSessionState, `{"state":"connected"}`)
	e.rt.publish(uid, 3, juta.EventMessage, `{"id":7}`)

	f := readFrame(t, conn)
	if f.Cursor != first.Cursor || f.Type != juta.EventSessionState || f.SessionID != 3 ||
		string(f.Data) != `{"state":"connected"}` || !f.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("first frame = %+v, want the session.state event %+v", f, first)
	}
	if f := readFrame(t, conn); f.Cursor != 2 || string(f.Data) != `{"id":7}` {
		t.Fatalf("second frame = %+v", f)
	}
	_ = conn.Close()
	eventually(t, "the subscription to end with the socket", func() bool { return e.rt.liveSubscriptions(uid) == 0 })

	// Missed while away; a browser resumes with a ticket in the query.
	e.rt.publish(uid, 3, juta.EventMessage, `{"id":8}`)
	e.rt.publish(uid, 3, juta.EventMessage, `not json`)
	ticket := e.mustTicket(t, bearerHeader(e.alice.token))
	resumed := mustDialWS(t, addr, "?after=2&ticket="+ticket, nil)
	if f := readFrame(t, resumed); f.Cursor != 3 || string(f.Data) != `{"id":8}` {
		t.Fatalf("resumed frame = %+v, want cursor 3", f)
	}
	if f := readFrame(t, resumed); f.Cursor != 4 || string(f.Data) != "null" {
		t.Fatalf("frame with a broken document = %+v, want cursor 4 with null data", f)
	}
	if call := e.rt.lastCall(); call.method != "Subscribe" || call.uid != uid || call.limit != 2 {
		t.Errorf("subscribe call = %+v, want after=2 for alice", call)
	}

	// The runtime ends the subscription: the socket closes cleanly so the client resumes.
	e.rt.endSubscriptions(uid)
	if code := readClose(t, resumed); code != fastws.CloseNormalClosure {
		t.Fatalf("close code = %d, want %d", code, fastws.CloseNormalClosure)
	}
}

func TestWebSocketRefusals(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	addr := e.serve(t)
	cases := []struct {
		name   string
		query  string
		header http.Header
		status int
	}{
		{"no token", "", nil, http.StatusUnauthorized},
		{"bad token", "?token=nope", nil, http.StatusUnauthorized},
		{"a good token in the query", "?token=" + e.alice.token, nil, http.StatusUnauthorized},
		{"bad after", "?after=-5", http.Header{"Authorization": {"Bearer " + e.alice.token}}, http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, res, err := dialWS(t, addr, c.query, c.header)
			if err == nil || res == nil || res.StatusCode != c.status {
				t.Fatalf("dial: err %v, response %+v; want status %d", err, res, c.status)
			}
		})
	}
}

func TestWebSocketPingsAndShutdown(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	addr := e.serve(t)
	conn := mustDialWS(t, addr, "", http.Header{"Authorization": {"Bearer " + e.alice.token}})
	var pings atomic.Int32
	conn.SetPingHandler(func(data string) error {
		pings.Add(1)
		return conn.WriteControl(fastws.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	closed := make(chan int, 1)
	go func() {
		_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		for {
			_, _, err := conn.ReadMessage()
			var ce *fastws.CloseError
			if errors.As(err, &ce) {
				closed <- ce.Code
				return
			}
			if err != nil {
				closed <- -1
				return
			}
		}
	}()
	eventually(t, "a ping", func() bool { return pings.Load() >= 2 })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if code := <-closed; code != fastws.CloseGoingAway {
		t.Fatalf("close code on shutdown = %d, want %d", code, fastws.CloseGoingAway)
	}
	if n := e.rt.liveSubscriptions(e.alice.id); n != 0 {
		t.Fatalf("%d subscriptions left after shutdown", n)
	}
}
