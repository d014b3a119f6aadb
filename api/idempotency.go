package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

const (
	headerIdempotencyKey = "Idempotency-Key"
	headerReplayed       = "Idempotent-Replayed"
	maxIdempotencyKeyLen = 255
)

// parseIdempotencyKey reads the Idempotency-Key header: absent is "", else 1
// to 255 printable ASCII characters without spaces. The result does not alias
// its input.
func parseIdempotencyKey(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	if len(raw) > maxIdempotencyKeyLen || !printableASCII(raw) {
		return "", juta.Errorf(juta.EINVALID, "Idempotency-Key must be 1 to %d printable ASCII characters", maxIdempotencyKeyLen)
	}
	return string([]byte(raw)), nil
}

// effectFn carries out a write once: the status and JSON body of its answer,
// or an error.
type effectFn func() (int, []byte, error)

// idempotent runs do at most once per (acting user, key): the keyed
// workflow of the application layer (app.Keys) with this request's answer.
// The claim is the acting principal's, not the session owner's that
// actAsOwner put in the request: a grantee must neither replay the owner's
// answers nor block the owner's keys.
func (s *Server) idempotent(c *fiber.Ctx, key string, request []byte, do effectFn) error {
	ctx, cancel := s.callContext(c)
	defer cancel()
	ans, err := s.keys(c).Run(ctx, principal(c).UserID, key, request, func(context.Context) (app.Answer, error) {
		status, body, err := do()
		return app.Answer{Status: status, Body: body}, err
	})
	return s.answer(c, ans, err)
}

// answer writes the outcome of a keyed workflow.
func (s *Server) answer(c *fiber.Ctx, ans app.Answer, err error) error {
	if err != nil {
		return err
	}
	if ans.Replayed {
		c.Set(headerReplayed, "true")
	}
	return sendStored(c, ans.Status, ans.Body)
}

// keys is the keyed workflow as this server answers: its clock, its claim
// window, failures as problem documents, write failures in its log.
func (s *Server) keys(c *fiber.Ctx) *app.Keys {
	rid := requestID(c)
	return &app.Keys{Store: s.deps.Data.Idempotency, Now: s.restNow, Window: s.claimWindow(),
		Render: func(err error) (int, []byte) {
			p := toProblem(err)
			body, _ := json.Marshal(p) // what handleError will send
			return p.Status, body
		},
		Abandoned: abandonedAnswer,
		OnWriteError: func(what string, err error) {
			s.log.Error(what, "request_id", rid, "user_id", int64(principal(c).UserID), "error", err)
		}}
}

// claimWindow is how long a claim may stay unfinished while its request is
// alive: the runtime call, recording its outcome, and a margin for the clocks
// of two nodes. A claim older than that belongs to a request whose node died
// (or could not record the outcome): retries then get a final answer instead
// of 409 until the key expires.
func (s *Server) claimWindow() time.Duration {
	return s.cfg.RequestTimeout + 2*app.KeyWriteTimeout
}

// abandonedAnswer is the final answer of a claim that outlived its window:
// the effect may or may not have happened.
func abandonedAnswer() (int, []byte) {
	body, _ := json.Marshal(problem{Type: "about:blank", Title: "Internal Server Error", Status: fiber.StatusInternalServerError,
		Code: juta.EINTERNAL, Detail: "the node that carried out the first request with this Idempotency-Key stopped " +
			"before recording its outcome: it may or may not have taken effect; check before trying again under a new key"})
	return fiber.StatusInternalServerError, body
}

// sendStored writes a recorded answer: a problem document for error statuses.
func sendStored(c *fiber.Ctx, status int, body []byte) error {
	ct := fiber.MIMEApplicationJSON
	if status >= fiber.StatusBadRequest {
		ct = "application/problem+json"
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, ct)
	return c.Send(body)
}

// restNow is the clock of idempotency keys (the server's Clock).
func (s *Server) restNow() time.Time { return s.cfg.Clock() }
