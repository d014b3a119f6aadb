package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/juta-app/juta"
)

const (
	// KeyTTL is how long an Idempotency-Key holds its first answer.
	KeyTTL = 24 * time.Hour
	// keyPoll is how often a retry checks on a first request still in flight.
	keyPoll = 25 * time.Millisecond
	// KeyWriteTimeout bounds recording an outcome, which must happen even
	// when the caller has gone.
	KeyWriteTimeout = 5 * time.Second
)

// Answer is the outcome of a keyed request as the caller gets it: a status
// and a JSON body. Replayed says it is the first request's answer again.
type Answer struct {
	Status   int
	Body     []byte
	Replayed bool
}

// Effect carries out a write once and returns its answer, or an error.
type Effect func(ctx context.Context) (Answer, error)

// Keys runs effects at most once per (acting user, Idempotency-Key).
type Keys struct {
	Store juta.IdempotencyStore
	// Now is the clock of claims (time.Now when nil).
	Now func() time.Time
	// Window is how long a claim may stay unfinished while its request is
	// alive; an older one belongs to a request whose node died.
	Window time.Duration
	// Render is the answer a failure gets, which the key keeps for retries.
	Render func(error) (status int, body []byte)
	// Abandoned is the answer kept for a claim that outlived Window.
	Abandoned func() (status int, body []byte)
	// OnWriteError reports a failure to record or release a key (the
	// request's answer is unchanged by it).
	OnWriteError func(what string, err error)
}

// Run runs do at most once per (actor, key). The key is claimed in the store
// before do runs, so a retry, concurrent or later, finds the claim: it waits
// for the first outcome (while ctx lasts) and gets the same answer. The same
// key with a different request is ECONFLICT. Without a key, do simply runs.
func (k *Keys) Run(ctx context.Context, actor juta.UserID, key string, request []byte, do Effect) (Answer, error) {
	if key == "" {
		return do(ctx)
	}
	if k == nil || k.Store == nil {
		return Answer{}, juta.Errorf(juta.EUNAVAILABLE, "idempotent requests are not available")
	}
	hash := sha256.Sum256(request)
	for {
		now := k.now()
		res, claimed, err := k.Store.ClaimIdempotencyKey(ctx, actor, key, hash[:], now, now.Add(KeyTTL))
		if err != nil {
			return Answer{}, fmt.Errorf("claim idempotency key of user %d: %w", actor, err)
		}
		if claimed {
			return k.runClaimed(ctx, actor, key, do)
		}
		if !bytes.Equal(res.RequestHash, hash[:]) {
			return Answer{}, juta.Errorf(juta.ECONFLICT, "this Idempotency-Key was used with a different request")
		}
		if !res.Done && now.Sub(res.ClaimedAt) >= k.Window {
			if res, err = k.abandon(ctx, actor, key, now); err != nil {
				return Answer{}, fmt.Errorf("abandon idempotency key of user %d: %w", actor, err)
			}
		}
		if res.Done {
			return Answer{Status: res.Status, Body: res.Body, Replayed: true}, nil
		}
		// In flight elsewhere: wait for its outcome (or its release, after
		// which this request claims the key itself).
		t := time.NewTimer(keyPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return Answer{}, &juta.Error{Code: juta.ECONFLICT, Message: "a request with this Idempotency-Key is still in progress", RetryAfter: time.Second}
		case <-t.C:
		}
	}
}

func (k *Keys) now() time.Time {
	if k.Now == nil {
		return time.Now()
	}
	return k.Now()
}

// abandon records the final answer of a claim that outlived its window: the
// effect may or may not have happened, and no retry under this key carries it
// out again. The request's real answer wins if it was recorded first.
func (k *Keys) abandon(ctx context.Context, actor juta.UserID, key string, now time.Time) (juta.IdempotentResult, error) {
	status, body := k.Abandoned()
	return k.Store.AbandonIdempotencyKey(ctx, actor, key, now.Add(-k.Window).Add(time.Nanosecond), status, body)
}

// runClaimed carries out the effect under a claimed key and records its
// outcome. A failure that certainly had no effect releases the key so that
// a retry can try again; any other outcome is kept, since the effect may
// have happened.
func (k *Keys) runClaimed(ctx context.Context, actor juta.UserID, key string, do Effect) (Answer, error) {
	ans, err := do(ctx)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), KeyWriteTimeout)
	defer cancel()
	if err != nil && (HadNoEffect(err) || errors.As(err, new(*repeatableError))) {
		if rerr := k.Store.ReleaseIdempotencyKey(wctx, actor, key); rerr != nil && k.OnWriteError != nil {
			k.OnWriteError("release idempotency key", rerr)
		}
		return Answer{}, err
	}
	if err != nil {
		ans.Status, ans.Body = k.Render(err) // what the caller gets now
	}
	if cerr := k.Store.CompleteIdempotencyKey(wctx, actor, key, ans.Status, ans.Body); cerr != nil && k.OnWriteError != nil {
		// The claim stays unfinished: retries get 409, never a second effect.
		k.OnWriteError("record idempotent outcome", cerr)
	}
	if err != nil {
		return Answer{}, err
	}
	return ans, nil
}

// HadNoEffect reports errors that the Runtime returns before carrying anything
// out: refused input, a wrong state, pacing. A timeout or an internal error
// may come after the effect.
func HadNoEffect(err error) bool {
	switch juta.ErrorCode(err) {
	case juta.EINVALID, juta.ENOTFOUND, juta.EFORBIDDEN, juta.ESTATE, juta.ERATELIMITED, juta.ETOOLARGE,
		juta.ECONFLICT, juta.EMEDIATYPE:
		return true
	}
	return false
}

// repeatableError marks a failure whose effect, if it happened, a retry
// under the same key cannot repeat: the key is released rather than keep
// the failure.
type repeatableError struct{ error }

func (e *repeatableError) Unwrap() error { return e.error }

// Repeatable marks err as one after which the key is released (see
// repeatableError).
func Repeatable(err error) error { return &repeatableError{err} }
