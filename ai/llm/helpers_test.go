package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

const testKey = "sk-test-5f1c9e0a-secret"

var (
	kl     = mustZone("Asia/Kuala_Lumpur")
	sentAt = time.Date(2025, 3, 6, 10, 0, 0, 0, kl) // a Thursday morning
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("MYT", 8*3600)
	}
	return loc
}

// recorded is one request the fake endpoint received.
type recorded struct {
	method, path, auth, contentType string
	body                            []byte
}

// fakeLLM is a local chat-completions endpoint whose answers a test scripts
// per request number (0 for the first).
type fakeLLM struct {
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []recorded
	release chan struct{} // closed at cleanup so blocked handlers end
}

func newFake(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *fakeLLM {
	t.Helper()
	f := &fakeLLM{release: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, recorded{r.Method, r.URL.Path, r.Header.Get("Authorization"),
			r.Header.Get("Content-Type"), body})
		f.mu.Unlock()
		answer(n, w, r)
	}))
	t.Cleanup(func() {
		close(f.release)
		f.srv.Close()
	})
	return f
}

func (f *fakeLLM) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fakeLLM) config() Config {
	return Config{BaseURL: f.srv.URL + "/v1", Model: "test-model", APIKey: testKey,
		Timeout: 5 * time.Second, BaseBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}
}

// reply writes a chat-completions answer whose content is content.
func reply(w http.ResponseWriter, content string) {
	replyChoice(w, map[string]any{"role": "assistant", "content": content}, "stop")
}

func replyChoice(w http.ResponseWriter, msg map[string]any, finish string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "model": "test-model",
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
	})
}

// stubRules stands in for the rules detector and counts its calls.
type stubRules struct{ calls atomic.Int32 }

var fromRules = juta.Action{Type: juta.ActionTask, Title: "from the rules", Confidence: 0.5}

func (s *stubRules) Detect(ctx context.Context, in juta.DetectInput) ([]juta.Action, error) {
	s.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []juta.Action{fromRules}, nil
}

// waits records the pauses between retries instead of sleeping them.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

const meetingText = "Meeting with Aisyah esok 3pm kat office, bawa RM250 deposit ya"

func input(text string) juta.DetectInput {
	return juta.DetectInput{Message: juta.Message{ID: 42, UserID: 7, Chat: "60123456789@s.whatsapp.net",
		Sender: "60123456789@s.whatsapp.net", Text: text, SentAt: sentAt}}
}

const goodAnswer = `{"actions":[
 {"type":"meeting","title":"Meet Aisyah at the office","dueAt":"2025-03-07T15:00:00+08:00","people":["Aisyah"],
  "amount":null,"currency":null,"confidence":0.92,"span":"Meeting with Aisyah esok 3pm","draft":""},
 {"type":"payment","title":"Bring RM250 deposit","dueAt":"2025-03-07T15:00:00+08:00","people":[],
  "amount":"250","currency":"RM","confidence":0.8,"span":"RM250 deposit","draft":""}]}`

// logBuffer returns a logger that writes JSON lines into a buffer.
func logBuffer() (*slog.Logger, *syncBuffer) {
	b := &syncBuffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sentRequest decodes a recorded body into the request and its chat data.
func sentRequest(t *testing.T, body []byte) (map[string]any, chatData) {
	t.Helper()
	var req map[string]any
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatalf("request body is not JSON: %v", err)
	}
	msgs, _ := req["messages"].([]any)
	if len(msgs) != 2 {
		t.Fatalf("request has %d messages, want system and user", len(msgs))
	}
	user, _ := msgs[1].(map[string]any)
	content, _ := user["content"].(string)
	inner, ok := strings.CutPrefix(content, "<chat_data>\n")
	inner, ok2 := strings.CutSuffix(inner, "\n</chat_data>")
	if !ok || !ok2 {
		t.Fatalf("user turn is not delimited: %q", content)
	}
	var doc chatData
	if err := json.Unmarshal([]byte(inner), &doc); err != nil {
		t.Fatalf("chat data is not JSON: %v", err)
	}
	return req, doc
}
