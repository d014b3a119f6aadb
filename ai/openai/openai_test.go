package openai

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 3, 6, 2, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ms, after string
		want      time.Duration
	}{
		{"", "", 0},
		{"", "7", 7 * time.Second},
		{"", "-3", 0},
		{"", "soon", 0},
		{"", "99999999999999", maxRetryAfter},
		{"", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"250", "7", 250 * time.Millisecond},
		{"nope", "2", 2 * time.Second},
	} {
		h := http.Header{}
		if tc.ms != "" {
			h.Set("Retry-After-Ms", tc.ms)
		}
		if tc.after != "" {
			h.Set("Retry-After", tc.after)
		}
		if got := RetryAfter(h, now); got != tc.want {
			t.Errorf("RetryAfter(ms=%q, %q) = %v, want %v", tc.ms, tc.after, got, tc.want)
		}
	}
}

func TestParseReplyTellsAnswersApart(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		kind      Kind // "" for a usable reply
		text      string
		calls     int
	}{
		{"text", `{"choices":[{"message":{"content":"hi"},"finish_reason":"stop"}]}`, "", "hi", 0},
		{"tool calls without text", `{"choices":[{"message":{"content":null,"tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}`, "", "", 1},
		{"refusal", `{"choices":[{"message":{"content":null,"refusal":"no"},"finish_reason":"stop"}]}`, KindRefusal, "", 0},
		{"filtered", `{"choices":[{"message":{"content":"x"},"finish_reason":"content_filter"}]}`, KindRefusal, "", 0},
		{"cut off", `{"choices":[{"message":{"content":"{\"act"},"finish_reason":"length"}]}`, KindMalformed, "", 0},
		{"empty", `{"choices":[{"message":{"content":""},"finish_reason":"stop"}]}`, KindMalformed, "", 0},
		{"no choices", `{"choices":[]}`, KindMalformed, "", 0},
		{"not JSON", `<html>`, KindMalformed, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, e := ParseReply([]byte(tc.raw))
			switch {
			case tc.kind == "" && e != nil:
				t.Fatalf("error %v, want a reply", e)
			case tc.kind != "" && (e == nil || e.Kind != tc.kind):
				t.Fatalf("reply %+v, error %v; want kind %s", r, e, tc.kind)
			case tc.kind == "" && (r.Text() != tc.text || len(r.ToolCalls) != tc.calls):
				t.Fatalf("reply %q with %d calls, want %q with %d", r.Text(), len(r.ToolCalls), tc.text, tc.calls)
			}
		})
	}
}
