package assistant

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/juta-app/juta/ai/openai"
)

// The conversation's message and tool-call types are the shared client's.
type (
	chatMessage = openai.Message
	toolCall    = openai.ToolCall
	reply       = openai.Reply
)

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Tools       []toolSpec    `json:"tools"`
	ToolChoice  string        `json:"tool_choice"`
	Temperature *float64      `json:"temperature,omitempty"`
	MaxTokens   int           `json:"max_tokens,omitempty"`
}

// complete sends the conversation once; a failure comes with a short reason
// for the log. Chat answers are interactive, so nothing is retried: the
// fallback answers at once instead.
func (l *LLM) complete(ctx context.Context, conv []chatMessage) (reply, string, error) {
	body, err := json.Marshal(chatRequest{Model: l.cfg.Model, Messages: conv, Tools: toolSpecs, ToolChoice: "auto",
		Temperature: l.cfg.Temperature, MaxTokens: l.cfg.MaxTokens})
	if err != nil {
		return reply{}, string(openai.KindClient), fmt.Errorf("encode request: %w", err)
	}
	r, e := l.client.Complete(ctx, body)
	if e != nil {
		return reply{}, string(e.Kind), e
	}
	return r, "", nil
}
