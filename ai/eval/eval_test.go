package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
)

const tinyTime = `{"id":"t1","text":"esok pukul 3 petang","reference":"2026-09-22T00:00:00","expected":"2026-09-23T15:00:00","grain":"minute","lang":"ms","convention_sensitive":false}
{"id":"t2","text":"next friday","reference":"2013-02-12T04:30:00","expected":"2013-02-22T00:00:00","grain":"day","lang":"en","convention_sensitive":false}
{"id":"t3","text":"tonight","reference":"2013-02-12T04:30:00","expected":"2013-02-12T18:00:00","grain":"hour","lang":"en","convention_sensitive":true}
{"id":"t4","text":"christmas","reference":"2013-02-12T04:30:00","expected":"2013-12-25T00:00:00","grain":"day","lang":"en","holiday":true}
{"id":"t5","text":"Mesyuarat pukul 3","reference":"2026-09-22T00:00:00","expected":"2026-09-22T15:00:00","grain":"minute","compare":"time_only","lang":"ms"}

{"id":"n1","text":"Versi 2.3.4","expected":null,"reference":null,"lang":"ms","negative_category":"no time expression"}
{"id":"n2","text":"Doktor gigi semalam","expected":null,"reference":"2026-09-22T00:00:00","lang":"ms","negative_category":"policy: past day"}
`

func TestScoreTimeRows(t *testing.T) {
	rows, err := ReadRows(strings.NewReader(tinyTime))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Score(context.Background(), rows, Config{MaxMisses: 10})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 7 || rep.Kinds[KindTime] != 5 || rep.Kinds[KindNegative] != 2 {
		t.Fatalf("rows %d kinds %v", rep.Rows, rep.Kinds)
	}
	check := func(bucket string, n, correct int) {
		t.Helper()
		got := rep.Time[bucket]
		if got == nil || got.N != n || got.Correct != correct {
			t.Errorf("%s = %+v, want %d/%d", bucket, got, correct, n)
		}
	}
	// t2 is Duckling's "next friday" = the Friday of next week (22nd): right.
	check("main", 3, 3)
	check("convention_sensitive", 1, 0) // we read "tonight" as 20:00
	check("holiday", 1, 0)
	check("negatives", 1, 1)
	check("negatives_policy", 1, 0) // "semalam" is read: reported apart
	if rep.TimeByLang["ms"].N != 2 {
		t.Errorf("by lang %+v", rep.TimeByLang)
	}
	if len(rep.Misses) != 3 {
		t.Errorf("misses %+v", rep.Misses)
	}
}

// fixed is a detector with canned answers.
type fixed map[string]juta.ActionType

func (f fixed) Detect(_ context.Context, in juta.DetectInput) ([]juta.Action, error) {
	if t, ok := f[in.Message.Text]; ok {
		return []juta.Action{{Type: t, Confidence: 0.9}}, nil
	}
	return nil, nil
}

func TestScoreIntentRows(t *testing.T) {
	const jsonl = `{"id":"a","text":"pay my bill","label":"payment"}
{"id":"b","text":"set an alarm","label":"reminder"}
{"id":"c","text":"what is on my list","label":"task_todo(query)"}
{"id":"d","text":"book a meeting","label":"meeting_or_appointment/reminder"}
{"id":"e","text":"golf","label":"none"}
`
	rows, _ := ReadRows(strings.NewReader(jsonl))
	det := fixed{"pay my bill": juta.ActionPayment, "set an alarm": juta.ActionTask, "what is on my list": juta.ActionTask, "book a meeting": juta.ActionReminder}
	rep, err := Score(context.Background(), rows, Config{Detector: det})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accuracy.Correct != 3 || rep.Accuracy.N != 5 {
		t.Errorf("accuracy %+v, want 3/5", rep.Accuracy)
	}
	task := rep.Intent["task"]
	if task.FP != 2 || task.TP != 0 {
		t.Errorf("task %+v, want 2 false positives", task)
	}
	if r := rep.Intent["reminder"]; r.TP != 1 || r.FN != 1 {
		t.Errorf("reminder %+v, want 1 TP (either type is right) and 1 FN", r)
	}
	if m := rep.IntentAll; m.TP != 2 || m.FP != 2 || m.FN != 1 || m.Precision != 0.5 {
		t.Errorf("micro %+v", m)
	}
}

func TestScoreEnronIsBinary(t *testing.T) {
	rows, _ := ReadRows(strings.NewReader(`{"id":"x","text":"please send it","label":"actionable_intent"}
{"id":"y","text":"we met","label":"no_intent"}`))
	rep, _ := Score(context.Background(), rows, Config{Detector: fixed{"please send it": juta.ActionTask, "we met": juta.ActionMeeting}})
	if a := rep.Intent["action"]; a == nil || a.TP != 1 || a.FP != 1 || len(rep.Intent) != 1 {
		t.Errorf("intent %+v, want one binary class with TP=1 FP=1", rep.Intent)
	}
}

func TestReadRowsRejectsBadJSON(t *testing.T) {
	if _, err := ReadRows(strings.NewReader("{\"id\":1}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line") {
		t.Errorf("err = %v, want a line error", err)
	}
}

// TestDevSets scores the shared development sets when they are present
// beside the repository; it asserts the floors we hold ourselves to.
func TestDevSets(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "eval")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("development sets not found at %s (they live outside the repository)", dir)
	}
	cfg := Config{Detector: ai.NewRules(ai.Options{})}
	floors := map[string]float64{"time_en_chrono.jsonl": 0.86, "time_ms_lorvex.jsonl": 0.97, "time_en_duckling.jsonl": 0.90}
	for file, floor := range floors {
		rep, err := File(context.Background(), filepath.Join(dir, file), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if acc := rep.Time["main"].Accuracy; acc < floor {
			t.Errorf("%s main accuracy %.3f < %.2f", file, acc, floor)
		}
	}
	rep, err := File(context.Background(), filepath.Join(dir, "time_negatives.jsonl"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if acc := rep.Time["negatives"].Accuracy; acc < 0.87 {
		t.Errorf("negatives accuracy %.3f < 0.87", acc)
	}
}
