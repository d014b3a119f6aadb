package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

const (
	headerIdempotencyKey = "Idempotency-Key"
	headerReplayed       = "Idempotent-Replayed"
	maxIdempotencyKeyLen = 255
	// idempotencyTTL is how long a key holds its first response.
	idempotencyTTL = 24 * time.Hour
	// idempotencyPoll is how often a retry checks on a first request that
	// is still in flight.
	idempotencyPoll = 25 * time.Millisecond
	// idempotencyWriteTimeout bounds recording an outcome, which must happen
	// even when the client has gone.
	idempotencyWriteTimeout = 5 * time.Second
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

// idempotent runs do at most once per (acting user, key). The key is claimed in
// Postgres before do runs, so a retry, concurrent or later, finds the claim:
// it waits for the first outcome (within the request timeout) and answers
// the same status and body. The same key with a different request is 409.
// Without a key, do simply runs.
func (s *Server) idempotent(c *fiber.Ctx, key string, request []byte, do effectFn) error {
	if key == "" {
		status, body, err := do()
		if err != nil {
			return err
		}
		return sendStored(c, status, body)
	}
	if s.deps.Data.Idempotency == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "idempotent requests are not available")
	}
	// The claim is the acting principal's, not the session owner's that
	// actAsOwner put in the request: a grantee must neither replay the
	// owner's answers nor block the owner's keys.
	uid, hash := principal(c).UserID, sha256.Sum256(request)
	ctx, cancel := s.callContext(c)
	defer cancel()
	for {
		now := s.restNow()
		res, claimed, err := s.deps.Data.Idempotency.ClaimIdempotencyKey(ctx, uid, key, hash[:], now, now.Add(idempotencyTTL))
		if err != nil {
			return fmt.Errorf("claim idempotency key of user %d: %w", uid, err)
		}
		if claimed {
			return s.runClaimed(c, uid, key, do)
		}
		if !bytes.Equal(res.RequestHash, hash[:]) {
			return juta.Errorf(juta.ECONFLICT, "this Idempotency-Key was used with a different request")
		}
		if !res.Done && now.Sub(res.ClaimedAt) >= s.claimWindow() {
			if res, err = s.abandonClaim(ctx, uid, key, now); err != nil {
				return fmt.Errorf("abandon idempotency key of user %d: %w", uid, err)
			}
		}
		if res.Done {
			c.Set(headerReplayed, "true")
			return sendStored(c, res.Status, res.Body)
		}
		// In flight elsewhere: wait for its outcome (or its release, after
		// which this request claims the key itself).
		t := time.NewTimer(idempotencyPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return &juta.Error{Code: juta.ECONFLICT, Message: "a request with this Idempotency-Key is still in progress", RetryAfter: time.Second}
		case <-t.C:
		}
	}
}

// claimWindow is how long a claim may stay unfinished while its request is
// alive: the runtime call, recording its outcome, and a margin for the clocks
// of two nodes. A claim older than that belongs to a request whose node died
// (or could not record the outcome): retries then get a final answer instead
// of 409 until the key expires.
func (s *Server) claimWindow() time.Duration {
	return s.cfg.RequestTimeout + 2*idempotencyWriteTimeout
}

// abandonClaim records the final answer of a claim that outlived its window:
// the effect may or may not have happened, and no retry under this key
// carries it out again. The request's real answer wins if it was recorded
// first.
func (s *Server) abandonClaim(ctx context.Context, uid juta.UserID, key string, now time.Time) (juta.IdempotentResult, error) {
	body, _ := json.Marshal(problem{Type: "about:blank", Title: "Internal Server Error", Status: fiber.StatusInternalServerError,
		Code: juta.EINTERNAL, Detail: "the node that carried out the first request with this Idempotency-Key stopped " +
			"before recording its outcome: it may or may not have taken effect; check before trying again under a new key"})
	return s.deps.Data.Idempotency.AbandonIdempotencyKey(ctx, uid, key, now.Add(-s.claimWindow()).Add(time.Nanosecond),
		fiber.StatusInternalServerError, body)
}

// runClaimed carries out the effect under a claimed key and records its
// outcome. A failure that certainly had no effect releases the key so that
// a retry can try again; any other outcome is kept, since the effect may
// have happened.
func (s *Server) runClaimed(c *fiber.Ctx, uid juta.UserID, key string, do effectFn) error {
	status, body, err := do()
	wctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), idempotencyWriteTimeout)
	defer cancel()
	if err != nil && (hadNoEffect(err) || errors.As(err, new(*repeatableError))) {
		if rerr := s.deps.Data.Idempotency.ReleaseIdempotencyKey(wctx, uid, key); rerr != nil {
			s.log.Error("release idempotency key", "request_id", requestID(c), "user_id", int64(uid), "error", rerr)
		}
		return err
	}
	if err != nil {
		p := toProblem(err)
		status = p.Status
		body, _ = json.Marshal(p) // what handleError will send
	}
	if cerr := s.deps.Data.Idempotency.CompleteIdempotencyKey(wctx, uid, key, status, body); cerr != nil {
		// The claim stays unfinished: retries get 409, never a second effect.
		s.log.Error("record idempotent outcome", "request_id", requestID(c), "user_id", int64(uid), "error", cerr)
	}
	if err != nil {
		return err
	}
	return sendStored(c, status, body)
}

// hadNoEffect reports errors that the Runtime returns before carrying anything
// out: refused input, a wrong state, pacing. A timeout or an internal error
// may come after the effect.
func hadNoEffect(err error) bool {
	switch juta.ErrorCode(err) {
	case juta.EINVALID, juta.ENOTFOUND, juta.EFORBIDDEN, juta.ESTATE, juta.ERATELIMITED, juta.ETOOLARGE, juta.ECONFLICT:
		return true
	}
	return false
}

// repeatableError marks a failure whose effect, if it happened, a retry
// under the same key cannot repeat: the key is released rather than keep
// the failure.
type repeatableError struct{ error }

func (e *repeatableError) Unwrap() error { return e.error }

func repeatable(err error) error { return &repeatableError{err} }

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

// restNow is the clock of tickets and idempotency keys.
func (s *Server) restNow() time.Time { return s.tickets.now() }
