package api

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// Locals keys. They are strings because the WebSocket upgrade copies only
// string-keyed locals into the connection.
const (
	localRequestID = "juta.request_id"
	localUserID    = "juta.user_id"
	localPrincipal = "juta.principal"
	localAfter     = "juta.after"
	localFamily    = "juta.token_family"
)

// headerAPIKey carries an API key for clients that keep Authorization for
// something else.
const headerAPIKey = "X-Api-Key"

const maxRequestIDLen = 128

// accessLog is the outermost middleware: it settles the request id, turns a
// returned error into its problem response (so the logged status is the one
// sent) and logs one line per request. It never logs headers, the query
// string or bodies: they may carry tokens, passwords or message text.
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	id := acceptRequestID(c.Get(fiber.HeaderXRequestID))
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)

	err := c.Next()
	// Fiber answers an unmatched request with its own 404 or 405 error, after
	// which c.Route() names this middleware; logging the raw path instead would
	// log whatever a scanner sends.
	route := c.Route().Path
	var fe *fiber.Error
	if errors.As(err, &fe) && (fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed) {
		route = "unmatched"
	}
	if err != nil {
		if herr := s.handleError(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}

	elapsed := time.Since(start)
	if s.cfg.Observe != nil {
		s.cfg.Observe(c.Method(), route, c.Response().StatusCode(), elapsed)
	}
	if !s.log.Enabled(c.UserContext(), slog.LevelInfo) {
		return nil
	}
	attrs := []slog.Attr{
		slog.String("request_id", id),
		slog.String("method", strings.Clone(c.Method())),
		slog.String("route", route),
		slog.Int("status", c.Response().StatusCode()),
		slog.Duration("duration", elapsed),
	}
	if uid, ok := c.Locals(localUserID).(juta.UserID); ok {
		attrs = append(attrs, slog.Int64("user_id", int64(uid)))
	}
	s.log.LogAttrs(c.UserContext(), slog.LevelInfo, "http request", attrs...)
	return nil
}

// acceptRequestID keeps a caller's X-Request-Id when it is short and plain (it
// ends up in logs) and makes a new one otherwise.
func acceptRequestID(in string) string {
	if in != "" && len(in) <= maxRequestIDLen && strings.Trim(in, idChars) == "" {
		return strings.Clone(in)
	}
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

const idChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:"

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// recoverPanic turns a handler panic into a 500 "internal" problem; the panic
// value and stack go to the log only.
func (s *Server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("handler panicked", "request_id", requestID(c), "panic", r, "stack", string(debug.Stack()))
			err = juta.Errorf(juta.EINTERNAL, "internal error")
		}
	}()
	return c.Next()
}

// authenticate accepts an access token (Authorization: Bearer <jwt>) or an API
// key (Authorization: Bearer juta_... or X-Api-Key: juta_...) and records the
// caller as a Principal. An access token's login must not be revoked (logout,
// password change, refresh reuse, disable): checked on every request, through
// a short cache (familyCache). allowQuery also accepts an access token in ?token=
// for browsers, which cannot set headers on a WebSocket handshake; keys never
// travel in URLs. A disabled account is refused like a bad credential.
func (s *Server) authenticate(allowQuery bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		raw, ok := bearerToken(c.Get(fiber.HeaderAuthorization))
		if !ok {
			raw = strings.TrimSpace(c.Get(headerAPIKey))
			if raw != "" {
				return s.authenticateKey(c, raw)
			}
		}
		if !ok && allowQuery {
			raw = c.Query("token")
			ok = raw != "" && !strings.HasPrefix(raw, apiKeyPrefix)
		}
		if !ok {
			return juta.Errorf(juta.EUNAUTHORIZED, "a bearer token or API key is required")
		}
		if strings.HasPrefix(raw, apiKeyPrefix) {
			return s.authenticateKey(c, raw)
		}
		tok, err := s.tokens.parse(raw)
		if err != nil {
			return err
		}
		acct, err := s.authn.accounts.get(c.UserContext(), tok.uid)
		if juta.ErrorCode(err) == juta.ENOTFOUND || (err == nil && acct.Disabled) {
			return errBadToken(err)
		}
		if err != nil {
			return err
		}
		// The login may have ended since the token was issued (or cached).
		revoked, err := s.authn.families.revoked(c.UserContext(), tok.uid, tok.family)
		if err != nil {
			return err
		}
		if revoked {
			return errBadToken(nil)
		}
		c.Locals(localUserID, tok.uid)
		c.Locals(localFamily, tok.family)
		c.Locals(localCredential, credential{uid: tok.uid, family: tok.family, expires: tok.expires})
		c.Locals(localPrincipal, juta.Principal{UserID: tok.uid, Role: acct.Role})
		return c.Next()
	}
}

// authenticateKey resolves an API key and its owner in one store round trip.
func (s *Server) authenticateKey(c *fiber.Ctx, raw string) error {
	hash, ok := parseAPIKey(raw)
	if !ok {
		return errBadKey(nil)
	}
	k, acct, err := s.deps.APIKeys.APIKeyByHash(c.UserContext(), hash)
	if juta.ErrorCode(err) == juta.ENOTFOUND || (err == nil && acct.Disabled) {
		return errBadKey(err)
	}
	if err != nil {
		return fmt.Errorf("look up api key: %w", err)
	}
	s.authn.usage.mark(k.ID)
	c.Locals(localUserID, k.UserID)
	c.Locals(localCredential, credential{uid: k.UserID, keyHash: bytes.Clone(hash)})
	c.Locals(localPrincipal, juta.Principal{
		UserID: k.UserID, Role: acct.Role, KeyID: k.ID, Scopes: k.Scopes, SessionID: k.SessionID,
	})
	return c.Next()
}

func errBadKey(cause error) error {
	return &juta.Error{Code: juta.EUNAUTHORIZED, Message: "invalid or revoked API key", Err: cause}
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header.
// The scheme is case-insensitive (RFC 7235).
func bearerToken(header string) (string, bool) {
	scheme, tok, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// principal is the authenticated caller with its scopes; only valid behind
// authenticate.
func principal(c *fiber.Ctx) juta.Principal {
	p, _ := c.Locals(localPrincipal).(juta.Principal)
	return p
}

// requireScope refuses callers whose API key lacks scope (403 forbidden).
func requireScope(scope string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if scope != "" && !principal(c).Can(scope) {
			return juta.Errorf(juta.EFORBIDDEN, "this key lacks the %q scope", scope)
		}
		return c.Next()
	}
}

// userID is the authenticated caller; only valid behind authenticate.
func userID(c *fiber.Ctx) juta.UserID {
	uid, _ := c.Locals(localUserID).(juta.UserID)
	return uid
}
