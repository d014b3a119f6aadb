package llm

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// Reason is why a Detect could not use the model's answer. Reasons are
// stable: metrics are labelled with them.
type Reason string

// Failure reasons.
const (
	ReasonRateLimited Reason = "rate_limited" // the user's call budget was spent
	ReasonTimeout     Reason = "timeout"      // Config.Timeout passed before an answer
	ReasonThrottled   Reason = "throttled"    // 429 until retries ran out, or Retry-After beyond the timeout
	ReasonServer      Reason = "server_error" // 5xx until retries ran out
	ReasonClient      Reason = "client_error" // any other non-2xx (bad key, unknown model, bad request)
	ReasonTransport   Reason = "transport"    // the endpoint could not be reached, or the body not read
	ReasonRefusal     Reason = "refusal"      // the model refused, or its answer was filtered
	ReasonMalformed   Reason = "malformed"    // the answer is not the JSON document we asked for
	ReasonInvalid     Reason = "invalid"      // the model proposed actions and none passed validation
)

// Stats are the detector's counters since New.
type Stats struct {
	Calls     uint64            // Detect calls
	Requests  uint64            // HTTP requests sent, retries included
	Retries   uint64            // requests that repeated a failed one
	Successes uint64            // Detects answered from the model
	Fallbacks uint64            // Detects answered by the fallback
	Dropped   uint64            // proposed actions dropped by validation
	Failures  map[Reason]uint64 // failed Detects by reason (every reason present)
}

type counters struct {
	calls, requests, retries, successes, fallbacks, dropped atomic.Uint64
	failures                                                [len(allReasons)]atomic.Uint64
}

// allReasons fixes each reason's slot in counters.failures.
var allReasons = [...]Reason{ReasonRateLimited, ReasonTimeout, ReasonThrottled, ReasonServer,
	ReasonClient, ReasonTransport, ReasonRefusal, ReasonMalformed, ReasonInvalid}

func (c *counters) fail(r Reason) {
	for i, x := range allReasons {
		if x == r {
			c.failures[i].Add(1)
			return
		}
	}
}

// Stats returns a snapshot of the counters.
func (d *Detector) Stats() Stats {
	s := Stats{
		Calls:     d.stats.calls.Load(),
		Requests:  d.stats.requests.Load(),
		Retries:   d.stats.retries.Load(),
		Successes: d.stats.successes.Load(),
		Fallbacks: d.stats.fallbacks.Load(),
		Dropped:   d.stats.dropped.Load(),
		Failures:  make(map[Reason]uint64, len(allReasons)),
	}
	for i, r := range allReasons {
		s.Failures[r] = d.stats.failures[i].Load()
	}
	return s
}

// failure is one failed attempt to use the endpoint. It carries no response
// body and no request data, so nothing secret or private reaches logs.
type failure struct {
	reason     Reason
	status     int           // HTTP status, 0 when none
	retryAfter time.Duration // from a 429/503 answer
	err        error         // transport or decoding cause
}

// asError is what Detect returns when there is no fallback.
func (f *failure) asError() error {
	code := juta.EUNAVAILABLE
	if f.reason == ReasonRateLimited {
		code = juta.ERATELIMITED
	}
	e := juta.Errorf(code, "action detection by the language model failed (%s)", f.reason)
	e.RetryAfter = f.retryAfter
	switch {
	case f.err != nil:
		e.Err = fmt.Errorf("llm %s (status %d): %w", f.reason, f.status, f.err)
	case f.status != 0:
		e.Err = fmt.Errorf("llm %s: status %d", f.reason, f.status)
	}
	return e
}

func defaultLocation() *time.Location { return when.DefaultLocation() }
