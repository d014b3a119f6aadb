package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/juta-app/juta"
)

// maxBody bounds the answer read from the endpoint; a real answer is a few
// kilobytes.
const maxBody = 1 << 20

// maxRetryAfter caps a server's Retry-After so a bogus value cannot overflow.
const maxRetryAfter = 24 * time.Hour

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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url, bytes.NewReader(body))
	if err != nil {
		return "", &failure{reason: ReasonClient, err: fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if d.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+d.cfg.APIKey)
	}
	resp, err := d.cfg.HTTPClient.Do(req)
	if err != nil {
		return "", transportFailure(ctx, err)
	}
	defer resp.Body.Close()
	if f := statusFailure(resp); f != nil {
		// Drain a little so the connection can be reused; the body itself may
		// echo our request and is never kept.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return "", f
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return "", transportFailure(ctx, err)
	}
	if len(raw) > maxBody {
		return "", &failure{reason: ReasonMalformed, status: resp.StatusCode, err: errors.New("answer too large")}
	}
	return completionContent(raw)
}

func transportFailure(ctx context.Context, err error) *failure {
	if ctx.Err() != nil {
		return &failure{reason: ReasonTimeout, err: ctx.Err()}
	}
	return &failure{reason: ReasonTransport, err: err}
}

func statusFailure(resp *http.Response) *failure {
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests:
		return &failure{reason: ReasonThrottled, status: code, retryAfter: retryAfter(resp.Header, time.Now())}
	case code >= 500:
		return &failure{reason: ReasonServer, status: code, retryAfter: retryAfter(resp.Header, time.Now())}
	default:
		return &failure{reason: ReasonClient, status: code}
	}
}

// retryAfter reads the wait a server asked for: OpenAI's retry-after-ms, or
// Retry-After in seconds or as an HTTP date. Zero means none was given.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return min(time.Duration(ms*float64(time.Millisecond)), maxRetryAfter)
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return min(time.Duration(min(secs, int64(maxRetryAfter/time.Second)))*time.Second, maxRetryAfter)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter)
	}
	return 0
}

type chatResponse struct {
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
			Refusal *string `json:"refusal"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// completionContent extracts the first choice's text from a chat-completions
// answer, telling refusals and cut-off answers apart.
func completionContent(raw []byte) (string, *failure) {
	var r chatResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", &failure{reason: ReasonMalformed, err: fmt.Errorf("decode completion: %w", err)}
	}
	if len(r.Choices) == 0 {
		return "", &failure{reason: ReasonMalformed, err: errors.New("completion has no choices")}
	}
	c := r.Choices[0]
	if c.Message.Refusal != nil && *c.Message.Refusal != "" || c.FinishReason == "content_filter" {
		return "", &failure{reason: ReasonRefusal}
	}
	if c.FinishReason == "length" {
		return "", &failure{reason: ReasonMalformed, err: errors.New("completion cut off at the token limit")}
	}
	if c.Message.Content == nil || *c.Message.Content == "" {
		return "", &failure{reason: ReasonMalformed, err: errors.New("completion has no content")}
	}
	return *c.Message.Content, nil
}
