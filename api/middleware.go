package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/api/stream"
)

// Locals keys. They are strings because the WebSocket upgrade copies only
// string-keyed locals into the connection.
const (
	localRequestID = stream.LocalRequestID
	localUserID    = auth.LocalUserID
)

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

// principal is the authenticated caller with its scopes; only valid behind
// authentication.
func principal(c *fiber.Ctx) juta.Principal { return auth.PrincipalOf(c) }

// userID is the authenticated caller (or the owner it acts as on a shared
// session); only valid behind authentication.
func userID(c *fiber.Ctx) juta.UserID { return auth.UserIDOf(c) }
