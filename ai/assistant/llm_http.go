package assistant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxBody bounds the answer read from the endpoint.
const maxBody = 1 << 20

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Tools       []toolSpec    `json:"tools"`
	ToolChoice  string        `json:"tool_choice"`
	Temperature *float64      `json:"temperature,omitempty"`
	MaxTokens   int           `json:"max_tokens,omitempty"`
}

type chatMessage struct {
	Role       string     `json:"role"`
	Content    *string    `json:"content"`
	ToolCalls  []toolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

type toolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type chatResponse struct {
	Choices []struct {
		Message struct {
			Content   *string    `json:"content"`
			Refusal   *string    `json:"refusal"`
			ToolCalls []toolCall `json:"tool_calls"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// reply is the part of a completion the conversation goes on with.
type reply struct {
	Content   *string
	ToolCalls []toolCall
}

// complete sends the conversation once; a failure comes with a short reason
// for the log. Chat answers are interactive, so nothing is retried: the
// fallback answers at once instead.
func (l *LLM) complete(ctx context.Context, conv []chatMessage) (reply, string, error) {
	body, err := json.Marshal(chatRequest{Model: l.cfg.Model, Messages: conv, Tools: toolSpecs, ToolChoice: "auto",
		Temperature: l.cfg.Temperature, MaxTokens: l.cfg.MaxTokens})
	if err != nil {
		return reply{}, "client", fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.url, bytes.NewReader(body))
	if err != nil {
		return reply{}, "client", fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if l.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+l.cfg.APIKey)
	}
	resp, err := l.cfg.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return reply{}, "timeout", ctx.Err()
		}
		return reply{}, "transport", err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// The body may echo our request (user data): it is never kept.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return reply{}, "status", fmt.Errorf("endpoint answered %d", resp.StatusCode)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return reply{}, "timeout", ctx.Err()
		}
		return reply{}, "transport", err
	}
	if len(raw) > maxBody {
		return reply{}, "malformed", errors.New("answer too large")
	}
	return parseReply(raw)
}

// parseReply reads the first choice, telling refusals, cut-off answers and
// empty ones apart from answers and tool calls.
func parseReply(raw []byte) (reply, string, error) {
	var r chatResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return reply{}, "malformed", fmt.Errorf("decode completion: %w", err)
	}
	if len(r.Choices) == 0 {
		return reply{}, "malformed", errors.New("completion has no choices")
	}
	c := r.Choices[0]
	switch {
	case c.Message.Refusal != nil && *c.Message.Refusal != "" || c.FinishReason == "content_filter":
		return reply{}, "refusal", errors.New("the model refused")
	case c.FinishReason == "length":
		return reply{}, "malformed", errors.New("completion cut off at the token limit")
	case len(c.Message.ToolCalls) > 0:
		return reply{Content: c.Message.Content, ToolCalls: c.Message.ToolCalls}, "", nil
	case c.Message.Content == nil || *c.Message.Content == "":
		return reply{}, "malformed", errors.New("completion has neither content nor tool calls")
	}
	return reply{Content: c.Message.Content}, "", nil
}
