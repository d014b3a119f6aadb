package assistant_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta/ai/assistant"
)

// fakeReq is what the fake endpoint reads of a chat-completions request.
type fakeReq struct {
	Model    string `json:"model"`
	Messages []struct {
		Role       string  `json:"role"`
		Content    *string `json:"content"`
		ToolCallID string  `json:"tool_call_id"`
		ToolCalls  []struct {
			ID string `json:"id"`
		} `json:"tool_calls"`
	} `json:"messages"`
	Tools []struct {
		Type     string `json:"type"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tools"`
	Auth string `json:"-"`
}

// toolResults returns the contents of the request's tool messages.
func (r fakeReq) toolResults() []string {
	var out []string
	for _, m := range r.Messages {
		if m.Role == "tool" && m.Content != nil {
			out = append(out, *m.Content)
		}
	}
	return out
}

// fakeLLM is an OpenAI-compatible endpoint on loopback that answers the
// n-th request (from 0) with script(n, req).
type fakeLLM struct {
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []fakeReq
	release chan struct{}
}

func newFakeLLM(t *testing.T, script func(n int, req fakeReq) (int, string)) *fakeLLM {
	t.Helper()
	f := &fakeLLM{release: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		var req fakeReq
		if err := json.Unmarshal(raw, &req); err != nil {
			t.Errorf("fake llm: bad request body: %v", err)
		}
		req.Auth = r.Header.Get("Authorization")
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, req)
		f.mu.Unlock()
		status, body := script(n, req)
		if status == 0 { // hang until the client gives up
			select {
			case <-r.Context().Done():
			case <-f.release:
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(func() {
		close(f.release)
		f.srv.Close()
	})
	return f
}

func (f *fakeLLM) requests() []fakeReq {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeReq(nil), f.reqs...)
}

func (f *fakeLLM) config() assistant.Config {
	return assistant.Config{BaseURL: f.srv.URL + "/v1", Model: "test-model", APIKey: "test-key",
		Timeout: 5 * time.Second, MaxToolRounds: 3, Location: kl, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// toolCalls is a completion that calls tools; each call is name and JSON arguments.
func toolCalls(calls ...[2]string) string {
	type fn struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	}
	type call struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function fn     `json:"function"`
	}
	cs := make([]call, len(calls))
	for i, c := range calls {
		cs[i] = call{ID: fmt.Sprintf("call_%d", i), Type: "function", Function: fn{Name: c[0], Arguments: c[1]}}
	}
	return completion(map[string]any{"role": "assistant", "content": nil, "tool_calls": cs}, "tool_calls")
}

// answer is a completion with final text.
func answer(text string) string {
	return completion(map[string]any{"role": "assistant", "content": text}, "stop")
}

func completion(msg map[string]any, finish string) string {
	raw, _ := json.Marshal(map[string]any{"id": "x", "object": "chat.completion",
		"choices": []map[string]any{{"index": 0, "message": msg, "finish_reason": finish}}})
	return string(raw)
}
