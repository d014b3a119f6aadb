package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	fastws "github.com/fasthttp/websocket"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// mustStream opens a socket authenticated by headers (no ticket) and waits
// until it follows uid's stream.
func (e *authEnv) mustStream(t *testing.T, addr string, uid juta.UserID, headers map[string]string) *fastws.Conn {
	t.Helper()
	before := e.rt.liveSubscriptions(uid)
	h := http.Header{}
	for k, v := range headers {
		h.Set(k, v)
	}
	conn := mustDialWS(t, addr, "", h)
	eventually(t, "the socket subscribed", func() bool { return e.rt.liveSubscriptions(uid) == before+1 })
	return conn
}

func wantClose(t *testing.T, what string, conn *fastws.Conn, want int) {
	t.Helper()
	if got := readClose(t, conn); got != want {
		t.Fatalf("%s: close code %d, want %d", what, got, want)
	}
}

// An open WebSocket closes at once when this node ends its credential: a
// deleted key, a disabled account, a logout, a password change (of another
// login). The default re-check schedule (a minute) is far beyond the test's
// read deadline, so only the immediate re-check can close them.
func TestWebSocketClosesAtOnceOnRevocation(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	addr := e.serve(t)
	root := e.mustCreate(t, "+60137778888", juta.RoleAdmin)
	carol := e.mustCreate(t, "+60133334444", juta.RoleUser)
	dave := e.mustCreate(t, "+60135556666", juta.RoleUser)

	t.Run("key deleted", func(t *testing.T) {
		key := e.mustKey(t, e.alice.token, `{"name":"streamer","scopes":["read"]}`)
		conn := e.mustStream(t, addr, e.alice.id, apiKeyHeader(key))
		id := keyID(t, e, e.alice.id, "streamer")
		if res := e.do(t, http.MethodDelete, fmt.Sprintf("/api/keys/%d", id), bearerHeader(e.alice.token), ""); res.status != http.StatusNoContent {
			t.Fatalf("delete key: %d %s", res.status, res.body)
		}
		wantClose(t, "deleted key", conn, CloseCredentialEnded)
	})
	t.Run("logout", func(t *testing.T) {
		l := e.mustLogin(t, carol.phone, testPassword)
		conn := e.mustStream(t, addr, carol.id, bearerHeader(l.Token))
		if res := e.do(t, http.MethodPost, "/api/auth/logout", nil, refreshBody(l.RefreshToken)); res.status != http.StatusNoContent {
			t.Fatalf("logout: %d", res.status)
		}
		wantClose(t, "logged out", conn, CloseCredentialEnded)
	})
	t.Run("password change", func(t *testing.T) {
		mine, other := e.mustLogin(t, dave.phone, testPassword), e.mustLogin(t, dave.phone, testPassword)
		kept := e.mustStream(t, addr, dave.id, bearerHeader(mine.Token))
		conn := e.mustStream(t, addr, dave.id, bearerHeader(other.Token))
		body, _ := json.Marshal(passwordRequest{CurrentPassword: testPassword, NewPassword: testPassword + " 2"})
		if res := e.do(t, http.MethodPost, "/api/auth/password", bearerHeader(mine.Token), string(body)); res.status != http.StatusNoContent {
			t.Fatalf("change password: %d %s", res.status, res.body)
		}
		wantClose(t, "another login after a password change", conn, CloseCredentialEnded)
		ev := e.rt.publish(dave.id, 0, "marker", `{}`)
		if f := readFrame(t, kept); f.Cursor != ev.Cursor {
			t.Fatalf("the changing login's socket: frame %+v, want the marker", f)
		}
	})
	t.Run("account disabled", func(t *testing.T) {
		conn := e.mustStream(t, addr, e.bob.id, bearerHeader(e.bob.token))
		if res := e.do(t, http.MethodPost, fmt.Sprintf("/api/admin/users/%d/disable", e.bob.id), bearerHeader(root.token), ""); res.status != http.StatusOK {
			t.Fatalf("disable: %d %s", res.status, res.body)
		}
		wantClose(t, "disabled account", conn, CloseAccountDisabled)
	})
}

// Without a poke (a revocation on another node, or an expiry), a socket
// finds out at its next scheduled check.
func TestWebSocketRechecksOnSchedule(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(c *Config) { c.WSRecheckInterval = 20 * time.Millisecond })
	addr := e.serve(t)
	ctx := context.Background()

	key := e.mustKey(t, e.alice.token, `{"name":"elsewhere","scopes":["read"]}`)
	conn := e.mustStream(t, addr, e.alice.id, apiKeyHeader(key))
	if err := e.db.RevokeAPIKey(ctx, e.alice.id, keyID(t, e, e.alice.id, "elsewhere")); err != nil {
		t.Fatal(err)
	}
	wantClose(t, "key deleted on another node", conn, CloseCredentialEnded)

	l := e.mustLogin(t, e.alice.phone, testPassword)
	conn = e.mustStream(t, addr, e.alice.id, bearerHeader(l.Token))
	if _, err := e.db.RevokeRefreshFamily(ctx, hashRefresh(t, l.RefreshToken)); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(DefaultAccountCacheTTL + time.Second) // the other node's cache of the login ages
	wantClose(t, "logged out on another node", conn, CloseCredentialEnded)

	conn = e.mustStream(t, addr, e.bob.id, bearerHeader(e.mustLogin(t, e.bob.phone, testPassword).Token))
	e.clock.advance(DefaultTokenTTL + auth.TokenLeeway + time.Second)
	wantClose(t, "expired token", conn, CloseCredentialEnded)
}

func hashRefresh(t *testing.T, raw string) []byte {
	t.Helper()
	h, err := auth.ParseRefreshToken(raw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// A ticket minted before its key was deleted, its login logged out or its
// account disabled opens nothing.
func TestTicketOfAnEndedCredentialIsRefused(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	addr := e.serve(t)
	root := e.mustCreate(t, "+60137778888", juta.RoleAdmin)
	key := e.mustKey(t, e.alice.token, `{"name":"ticketed","scopes":["read"]}`)
	l := e.mustLogin(t, e.alice.phone, testPassword)
	byKey, byLogin, byBob := e.mustTicket(t, apiKeyHeader(key)), e.mustTicket(t, bearerHeader(l.Token)), e.mustTicket(t, bearerHeader(e.bob.token))

	steps := []struct{ method, url, token, body string }{
		{http.MethodDelete, fmt.Sprintf("/api/keys/%d", keyID(t, e, e.alice.id, "ticketed")), e.alice.token, ""},
		{http.MethodPost, "/api/auth/logout", "", refreshBody(l.RefreshToken)},
		{http.MethodPost, fmt.Sprintf("/api/admin/users/%d/disable", e.bob.id), root.token, ""},
	}
	for _, s := range steps {
		var h map[string]string
		if s.token != "" {
			h = bearerHeader(s.token)
		}
		if res := e.do(t, s.method, s.url, h, s.body); res.status >= 300 {
			t.Fatalf("%s %s: %d %s", s.method, s.url, res.status, res.body)
		}
	}
	for name, ticket := range map[string]string{"deleted key": byKey, "logged-out login": byLogin, "disabled account": byBob} {
		_, res, err := dialWS(t, addr, "?ticket="+ticket, nil)
		if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: err %v, response %+v; want 401", name, err, res)
		}
	}
}

// The README's table of close codes lists every code a stream closes with.
func TestReadmeListsCloseCodes(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{fastws.CloseNormalClosure, fastws.CloseGoingAway, fastws.CloseInternalServerErr,
		fastws.CloseTryAgainLater, CloseCredentialEnded, CloseAccountDisabled} {
		if !strings.Contains(string(readme), fmt.Sprintf("| `%d` |", code)) {
			t.Errorf("README lacks close code %d", code)
		}
	}
}
