package eval

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/ai/llm"
)

// TestRunThroughModel runs the eval through an OpenAI-compatible endpoint
// (a local fake that calls every message a task) and checks the same
// tables come out, with the model's answers in them.
func TestRunThroughModel(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		answer := `{"actions":[{"type":"task","title":"Do it","dueAt":null,"people":[],"amount":null,"currency":null,"confidence":0.9,"span":"it","draft":""}]}`
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"index": 0,
			"message": map[string]any{"role": "assistant", "content": answer}, "finish_reason": "stop"}}})
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "intents.jsonl")
	rows := `{"id":"a","text":"please send the report","label":"task_todo"}
{"id":"b","text":"golf","label":"none"}
{"id":"c","text":"esok pukul 3 petang","reference":"2026-09-22T00:00:00","expected":"2026-09-23T15:00:00","grain":"minute"}
`
	if err := os.WriteFile(file, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	det := llm.New(llm.Config{BaseURL: srv.URL, Model: "fake", RatePerMinute: -1}, ai.NewRules(ai.Options{}))
	var out strings.Builder
	err := Run(context.Background(), &out, RunOptions{Files: []string{file}, Detector: det, Label: "model fake"})
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"detector: model fake", "| intents.jsonl | 3 | **1.000 (1/1)**", "task F1 1.000 (P 1.000 R 1.000)",
		"chat_corpus.txt (own)", "| task |"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := calls.Load(); n < 100 {
		t.Errorf("%d calls to the model, want one per intent row and chat line", n)
	}
}
