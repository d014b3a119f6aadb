package stream

import (
	"context"
	"log/slog"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// WebSocket close codes of a stream whose credential ended. RFC 6455 section
// 7.4.2 leaves 4000-4999 to applications; these mirror the HTTP statuses a
// request with the same credential would get.
const (
	// CloseCredentialEnded: the access token expired, its login was revoked
	// (logout, password change, refresh-token reuse), or the API key was
	// deleted. The client authenticates again and resumes from its cursor.
	CloseCredentialEnded = 4401
	// CloseAccountDisabled: an administrator disabled the account.
	CloseAccountDisabled = 4403
)

// DefaultRecheckInterval is the longest a stream goes without checking
// its credential again (never longer than the token lifetime).
const DefaultRecheckInterval = time.Minute

// streamGuard checks a stream's credential again on a schedule, when the
// access token expires, and at once when this node changes the user's
// credentials (streamWatch). It runs beside the writer and reports the close
// the stream must make.
type streamGuard struct {
	ended  chan wsClose
	remove func()
}

type wsClose struct {
	code   int
	reason string
}

// guardStream starts the guard of a stream of cred; it ends with ctx.
func (s *Service) guardStream(ctx context.Context, cred auth.Credential, log *slog.Logger) *streamGuard {
	poked, remove := s.watch.add(cred.UserID)
	g := &streamGuard{ended: make(chan wsClose, 1), remove: remove}
	go s.runGuard(ctx, g, cred, poked, log)
	return g
}

func (g *streamGuard) stop() { g.remove() }

func (s *Service) runGuard(ctx context.Context, g *streamGuard, cred auth.Credential, poked <-chan struct{}, log *slog.Logger) {
	tick := time.NewTicker(s.cfg.RecheckInterval)
	defer tick.Stop()
	var expiry <-chan time.Time
	if cred.KeyHash == nil {
		t := time.NewTimer(max(cred.Expires.Add(auth.TokenLeeway).Sub(s.ports().Auth.Now()), 0))
		defer t.Stop()
		expiry = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-poked:
		case <-tick.C:
		case <-expiry:
			expiry = nil
		}
		if c, ok := s.recheckStream(ctx, cred, log); ok {
			g.ended <- c
			return
		}
	}
}

// recheckStream checks cred; ok when the stream must close with c. A store
// failure keeps the stream open until the next check.
func (s *Service) recheckStream(ctx context.Context, cred auth.Credential, log *slog.Logger) (c wsClose, ok bool) {
	cctx, cancel := context.WithTimeout(ctx, s.cfg.RequestTimeout)
	defer cancel()
	err := s.ports().Auth.CheckCredential(cctx, cred)
	switch juta.ErrorCode(err) {
	case "":
		return wsClose{}, false
	case juta.EUNAUTHORIZED:
		return wsClose{CloseCredentialEnded, "credential expired or revoked"}, true
	case juta.EFORBIDDEN:
		return wsClose{CloseAccountDisabled, "account disabled"}, true
	}
	if ctx.Err() == nil {
		log.Warn("websocket credential check failed", "code", juta.ErrorCode(err), "error", err)
	}
	return wsClose{}, false
}
