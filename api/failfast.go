package api

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// Outage behaviour: while the health check says PostgreSQL is unreachable,
// /readyz answers 503 (a load balancer routes away) and every /api route
// answers 503 unavailable with Retry-After at once, instead of queueing behind
// a pool that cannot connect. Every request also carries the request deadline
// in its context, so a slow database can delay an answer but never hold it
// past RequestTimeout.

// failFast bounds the request by the deadline and refuses /api work while the
// database is unreachable. The document routes need no database and stay up.
func (s *Server) failFast(c *fiber.Ctx) error {
	path := c.Path()
	if strings.HasPrefix(path, "/api/") && path != "/api/openapi.json" && path != "/api/docs" {
		if err := s.healthErr(); err != nil {
			p := toProblem(err)
			setRetryAfter(c, retryAfterOf(err))
			return writeProblem(c, p)
		}
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// healthErr is the health check's verdict; nil without a check.
func (s *Server) healthErr() error {
	if s.deps.Node.Health == nil {
		return nil
	}
	return s.deps.Node.Health.Check()
}

// retryAfterOf is the wait a problem suggests: the error's own hint, or the
// default for any other 503.
func retryAfterOf(err error) time.Duration {
	var je *juta.Error
	if errors.As(err, &je) && je.RetryAfter > 0 {
		return je.RetryAfter
	}
	if statusOf(juta.ErrorCode(err)) == fiber.StatusServiceUnavailable || errors.Is(err, context.DeadlineExceeded) {
		return juta.DefaultRetryAfter
	}
	return 0
}
