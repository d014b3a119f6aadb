package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/persistence/pgtest"
)

// FuzzWebSocketHandshake: a WebSocket handshake with any ticket, resume
// cursor and Origin opens nothing unless it carries the one ticket issued,
// and is refused with 401 (403 for an Origin not allowed), never a 5xx. The
// issued ticket's credential is checked on redemption against the database.
func FuzzWebSocketHandshake(f *testing.F) {
	db := pgtest.MustOpenDB(f)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, "+60123456789", "not-a-real-hash", juta.RoleUser)
	if err != nil {
		f.Fatal(err)
	}
	srv := New(Config{JWTKey: []byte("0123456789abcdef0123456789abcdef"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		Deps{Runtime: newTestRuntime(), Auth: AuthDeps{Users: db, Credentials: db, APIKeys: db, Admin: db}})
	rt, err := db.CreateRefreshToken(ctx, u.ID, []byte("fuzz-refresh-token-hash-32-bytes"), time.Now().Add(time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	issued, _, err := srv.stream.IssueTicket(ctx, juta.Principal{UserID: u.ID},
		auth.Credential{UserID: u.ID, Family: rt.FamilyID, Expires: time.Now().Add(time.Hour)})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range [][3]string{{"", "", ""}, {issued[:42] + "A", "0", ""}, {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "-1", "https://evil.example"},
		{"x", "99999999999999999999", "null"}, {"%00", "", "http://example.com"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, ticket, after, origin string) {
		if ticket == issued {
			return
		}
		q := url.Values{"ticket": {ticket}, "after": {after}}
		req := httptest.NewRequest(http.MethodGet, "/api/ws?"+q.Encode(), nil)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		res, err := srv.App().Test(req, -1)
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		_ = res.Body.Close()
		switch res.StatusCode {
		case http.StatusUnauthorized:
		case http.StatusForbidden:
			if origin == "" {
				t.Fatalf("403 without an Origin")
			}
		default:
			t.Fatalf("ticket %q after %q origin %q: status %d", ticket, after, origin, res.StatusCode)
		}
	})
}
