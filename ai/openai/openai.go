// Package openai is the one client of OpenAI-compatible chat-completions
// endpoints (OpenAI, Ollama, vLLM, llama.cpp) that Juta's callers share: the
// action detector (ai/llm) and the chat assistant (ai/assistant). It owns
// what every call has in common: the URL, the headers and bearer key, the
// bound on the answer's size, the classification of failed answers (status,
// Retry-After, refusal, cut-off) and the answer's types. Each caller builds
// its own request body and decides what to retry.
//
// Protocol facts follow OpenAI's Chat Completions API reference
// (platform.openai.com/docs/api-reference/chat): choices[].message with
// content, refusal and tool_calls; finish_reason "length" and
// "content_filter"; the retry-after-ms header next to HTTP's Retry-After.
package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxBody bounds the answer read from the endpoint; a real answer is a few
// kilobytes.
const MaxBody = 1 << 20

// maxRetryAfter caps a server's Retry-After so a bogus value cannot overflow.
const maxRetryAfter = 24 * time.Hour

// Kind says why a call gave no usable answer. The values are stable: the
// detector labels its metrics with them.
type Kind string

// Failure kinds.
const (
	KindTimeout   Kind = "timeout"      // the context ended first
	KindThrottled Kind = "throttled"    // 429
	KindServer    Kind = "server_error" // 5xx
	KindClient    Kind = "client_error" // any other non-2xx, or a request that could not be built
	KindTransport Kind = "transport"    // the endpoint could not be reached, or the body not read
	KindRefusal   Kind = "refusal"      // the model refused, or its answer was filtered
	KindMalformed Kind = "malformed"    // not a completion, cut off, too large or empty
)

// Error is one failed call. It carries no response body and no request data,
// so nothing secret or private reaches logs.
type Error struct {
	Kind       Kind
	Status     int           // HTTP status, 0 when none
	RetryAfter time.Duration // what a 429 or 5xx answer asked for, 0 when nothing
	Err        error         // transport or decoding cause, if any
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("%s (status %d): %v", e.Kind, e.Status, e.Err)
	case e.Status != 0:
		return fmt.Sprintf("%s: status %d", e.Kind, e.Status)
	}
	return string(e.Kind)
}

func (e *Error) Unwrap() error { return e.Err }

// Client posts to one endpoint. It is safe for concurrent use.
type Client struct {
	base   string // the endpoint's base URL, without a trailing slash
	url    string
	apiKey string
	http   *http.Client
}

// New returns a client of baseURL's chat-completions route
// (baseURL + "/chat/completions") and transcription route
// (baseURL + "/audio/transcriptions"); apiKey "" sends no Authorization; a nil hc
// is a plain http.Client (callers bound each call with its context).
func New(baseURL, apiKey string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{}
	}
	base := strings.TrimRight(baseURL, "/")
	return &Client{base: base, url: base + "/chat/completions", apiKey: apiKey, http: hc}
}

// Message is one message of a conversation, sent or answered.
type Message struct {
	Role       string     `json:"role"`
	Content    *string    `json:"content"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

// ToolCall is a function call the model asks for.
type ToolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// Reply is the part of an answer a caller goes on with: the first choice's
// text, its tool calls, or both.
type Reply struct {
	Content   *string
	ToolCalls []ToolCall
}

// Text is the reply's content, "" when there is none.
func (r Reply) Text() string {
	if r.Content == nil {
		return ""
	}
	return *r.Content
}

// Complete posts body (a chat-completions request in JSON) once and returns
// the answer's first choice. It blocks until the answer or ctx's end.
func (c *Client) Complete(ctx context.Context, body []byte) (Reply, *Error) {
	raw, e := c.post(ctx, c.url, "application/json", body)
	if e != nil {
		return Reply{}, e
	}
	return ParseReply(raw)
}

// post sends one request and returns the body of a 2xx answer, bounded by
// MaxBody; any other outcome is classified into an *Error.
func (c *Client) post(ctx context.Context, url, contentType string, body []byte) ([]byte, *Error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, &Error{Kind: KindClient, Err: fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	defer resp.Body.Close()
	if e := statusError(resp); e != nil {
		// Drain a little so the connection can be reused; the body itself may
		// echo our request (user data) and is never kept.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, e
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, transportError(ctx, err)
	}
	if len(raw) > MaxBody {
		return nil, &Error{Kind: KindMalformed, Status: resp.StatusCode, Err: errors.New("answer too large")}
	}
	return raw, nil
}

func transportError(ctx context.Context, err error) *Error {
	if ctx.Err() != nil {
		return &Error{Kind: KindTimeout, Err: ctx.Err()}
	}
	return &Error{Kind: KindTransport, Err: err}
}

func statusError(resp *http.Response) *Error {
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests:
		return &Error{Kind: KindThrottled, Status: code, RetryAfter: RetryAfter(resp.Header, time.Now())}
	case code >= 500:
		return &Error{Kind: KindServer, Status: code, RetryAfter: RetryAfter(resp.Header, time.Now())}
	}
	return &Error{Kind: KindClient, Status: code}
}

// RetryAfter reads the wait a server asked for: OpenAI's retry-after-ms, or
// Retry-After in seconds or as an HTTP date. Zero means none was given.
func RetryAfter(h http.Header, now time.Time) time.Duration {
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

type response struct {
	Choices []struct {
		Message struct {
			Content   *string    `json:"content"`
			Refusal   *string    `json:"refusal"`
			ToolCalls []ToolCall `json:"tool_calls"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// ParseReply reads an answer's first choice, telling refusals, cut-off
// answers and empty ones apart from text and tool calls.
func ParseReply(raw []byte) (Reply, *Error) {
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return Reply{}, &Error{Kind: KindMalformed, Err: fmt.Errorf("decode completion: %w", err)}
	}
	if len(r.Choices) == 0 {
		return Reply{}, &Error{Kind: KindMalformed, Err: errors.New("completion has no choices")}
	}
	c := r.Choices[0]
	switch {
	case c.Message.Refusal != nil && *c.Message.Refusal != "" || c.FinishReason == "content_filter":
		return Reply{}, &Error{Kind: KindRefusal, Err: errors.New("the model refused")}
	case c.FinishReason == "length":
		return Reply{}, &Error{Kind: KindMalformed, Err: errors.New("completion cut off at the token limit")}
	case len(c.Message.ToolCalls) > 0:
		return Reply{Content: c.Message.Content, ToolCalls: c.Message.ToolCalls}, nil
	case c.Message.Content == nil || *c.Message.Content == "":
		return Reply{}, &Error{Kind: KindMalformed, Err: errors.New("completion has neither content nor tool calls")}
	}
	return Reply{Content: c.Message.Content}, nil
}
