package llm

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/juta-app/juta"
)

// ask sends in to the model and validates its answer, all within
// Config.Timeout.
func (d *Detector) ask(ctx context.Context, in juta.DetectInput) ([]juta.Action, *failure) {
	ref := in.Message.SentAt
	if ref.IsZero() {
		ref = time.Now()
	}
	ref = ref.In(in.Location)
	body, err := d.buildRequest(in, ref)
	if err != nil {
		return nil, &failure{reason: ReasonClient, err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	content, f := d.complete(ctx, body)
	if f != nil {
		return nil, f
	}
	acts, dropped, err := parseAnswer(content, in.Message.Text, in.Location, ref)
	d.stats.dropped.Add(uint64(dropped))
	if err != nil {
		return nil, &failure{reason: ReasonMalformed, err: err}
	}
	if len(acts) == 0 && dropped > 0 {
		// Everything the model proposed was wrong: trust the rules instead.
		return nil, &failure{reason: ReasonInvalid}
	}
	return acts, nil
}

// complete posts body until an answer comes, retrying what may pass.
func (d *Detector) complete(ctx context.Context, body []byte) (string, *failure) {
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			d.stats.retries.Add(1)
		}
		content, f := d.post(ctx, body)
		if f == nil {
			return content, nil
		}
		if !f.retryable() || attempt >= d.cfg.MaxRetries {
			return "", f
		}
		delay := f.retryAfter
		if delay == 0 {
			delay = d.backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			// Waiting would outlast the budget: give up now, not at the deadline.
			return "", f
		}
		if err := d.wait(ctx, delay); err != nil {
			return "", &failure{reason: ReasonTimeout, status: f.status, err: err}
		}
	}
}

func (f *failure) retryable() bool {
	switch f.reason {
	case ReasonThrottled, ReasonServer, ReasonTransport:
		return true
	}
	return false
}

// backoff is the exponential delay before retry attempt+1, with equal
// jitter so the retries of many users do not arrive together.
func (d *Detector) backoff(attempt int) time.Duration {
	b := d.cfg.BaseBackoff << min(attempt, 20)
	if b <= 0 || b > d.cfg.MaxBackoff {
		b = d.cfg.MaxBackoff
	}
	return b/2 + rand.N(b/2+1)
}

// post makes one request and returns the answer's content.
func (d *Detector) post(ctx context.Context, body []byte) (string, *failure) {
	d.stats.requests.Add(1)
	reply, e := d.client.Complete(ctx, body)
	if e != nil {
		return "", &failure{reason: Reason(e.Kind), status: e.Status, retryAfter: e.RetryAfter, err: e.Err}
	}
	if reply.Text() == "" {
		return "", &failure{reason: ReasonMalformed, err: errors.New("completion has no content")}
	}
	return reply.Text(), nil
}
