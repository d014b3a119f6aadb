package eval

import (
	"context"
	"errors"
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

// tinyKinds checks kinds, interval ends (both end conventions) and repeat
// rules: r1, r2, k1, k2 and k4 are right; k3 has the right start but the
// wrong kind, k5 the wrong end, r3 the right rule but the wrong clock.
const tinyKinds = `{"id":"k1","text":"Mesyuarat pukul 14-16","reference":"2026-09-22T00:00:00","expected":"2026-09-22T14:00:00","expected_end":"2026-09-22T16:00:00","kind":"interval","grain":"minute","lang":"ms"}
{"id":"k2","text":"from 3 to 5pm","reference":"2013-02-12T04:30:00","expected":"2013-02-12T15:00:00","expected_end":"2013-02-12T18:00:00","kind":"interval","grain":"hour","lang":"en"}
{"id":"k3","text":"3-4pm","reference":"2013-02-12T04:30:00","expected":"2013-02-12T15:00:00","kind":"instant","grain":"hour","lang":"en"}
{"id":"k4","text":"Laporan sebelum Jumaat","reference":"2026-09-22T00:00:00","expected":"2026-09-25T00:00:00","kind":"due_date","grain":"day","lang":"ms"}
{"id":"k5","text":"3-4pm","reference":"2013-02-12T04:30:00","expected":"2013-02-12T15:00:00","expected_end":"2013-02-12T19:00:00","kind":"interval","grain":"hour","lang":"en"}
{"id":"r1","text":"Senaman setiap Isnin dan Khamis","rule":"FREQ=WEEKLY;BYDAY=TH,MO","kind":"recurrence"}
{"id":"r2","text":"Senaman harian","rule":"daily","kind":"recurrence"}
{"id":"r3","text":"Yoga setiap Selasa pukul 7 malam","rule":"FREQ=WEEKLY;BYDAY=TU","time":"07:00","kind":"recurrence"}
`

func TestScoreKindsEndsAndRepeats(t *testing.T) {
	rows, err := ReadRows(strings.NewReader(tinyKinds))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Score(context.Background(), rows, Config{MaxMisses: 10})
	if err != nil {
		t.Fatal(err)
	}
	if h := rep.Headline; h == nil || h.N != 8 || h.Correct != 5 {
		t.Fatalf("headline %+v, want 5/8", h)
	}
	if s := rep.StartOnly["main"]; s.N != 5 || s.Correct != 5 {
		t.Errorf("start only %+v, want 5/5: every start is right", s)
	}
	if k := rep.TimeByKind["interval"]; k.N != 3 || k.Correct != 2 {
		t.Errorf("interval kind %+v, want 2/3", k)
	}
	if r := rep.Recurrence; r.N != 3 || r.Correct != 2 {
		t.Errorf("recurrence %+v, want 2/3", r)
	}
	var missed []string
	for _, m := range rep.Misses {
		missed = append(missed, m.ID)
	}
	if got := strings.Join(missed, ","); got != "k3,k5,r3" {
		t.Errorf("misses %s, want k3,k5,r3", got)
	}
}

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
	check("holiday", 1, 1)              // christmas: 25 Dec 2013
	check("negatives", 1, 1)
	// "semalam" is a past day: the due-time reading sets nothing from it (the
	// headline), while the parser reads it (the breakdown beside it)
	check("negatives_policy", 1, 1)
	check("negatives_policy by the parser", 1, 0)
	check("all by the parser", 2, 1)
	if rep.TimeByLang["ms"].N != 2 {
		t.Errorf("by lang %+v", rep.TimeByLang)
	}
	if len(rep.Misses) != 1 {
		t.Errorf("misses %+v", rep.Misses)
	}
	if h := rep.Headline; h == nil || h.N != 7 || h.Correct != 6 {
		t.Errorf("headline %+v, want every row counted: 6/7", h)
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

// TestDevSets scores the development sets, which live outside the
// repository: $EVAL_DIR, else shared/eval beside the clone. Where the data
// is, the floors are asserted; a wrong EVAL_DIR fails; only a machine with
// no data at all skips, and says so.
func TestDevSets(t *testing.T) {
	dir, err := FindDir()
	if err != nil {
		if os.Getenv("EVAL_DIR") != "" || !errors.Is(err, ErrNoData) {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	cfg := Config{Detector: ai.NewRules(ai.Options{})}
	// Headlines over every row of each file (see ai/EVAL.md for the figures).
	floors := map[string]float64{
		"time_en_chrono.jsonl": 0.88, "time_ms_lorvex.jsonl": 0.96, "time_en_duckling.jsonl": 0.85,
		"time_negatives.jsonl": 0.85, "recurrence_ms_lorvex.jsonl": 0.90,
	}
	for file, floor := range floors {
		rep, err := File(context.Background(), filepath.Join(dir, file), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if acc := rep.Headline.Accuracy; acc < floor {
			t.Errorf("%s headline %.3f < %.2f", file, acc, floor)
		}
	}
	// Intent micro F1 over every row, with only cues people write in chat.
	for file, floor := range map[string]float64{"actions_clinc150.jsonl": 0.80, "actions_email_enron_parakweet.jsonl": 0.65} {
		rep, err := File(context.Background(), filepath.Join(dir, file), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if f1 := rep.IntentAll.F1; f1 < floor {
			t.Errorf("%s micro F1 %.3f < %.2f", file, f1, floor)
		}
	}
}

// With a detector, negative rows are also scored by the detector: right when
// it sets no due time. "Doktor gigi semalam" is read by the parser but is
// history, no due time (right in the headline and by the detector);
// "Laporan sebelum 5pm" is a deadline the due reading and the detector keep
// (a miss of both); "Kelas Isnin dan Rabu" names two days, no single one.
func TestNegativesByTheDetector(t *testing.T) {
	rows, err := ReadRows(strings.NewReader(`{"id":"n1","text":"Versi 2.3.4","expected":null,"reference":null,"lang":"ms","negative_category":"no time expression"}
{"id":"n2","text":"Doktor gigi semalam","expected":null,"reference":"2026-09-22T00:00:00","lang":"ms","negative_category":"policy: past day"}
{"id":"n3","text":"Laporan sebelum 5pm","expected":null,"reference":"2026-09-22T00:00:00","lang":"ms","negative_category":"policy: ambiguous"}
{"id":"n4","text":"Kelas Isnin dan Rabu","expected":null,"reference":"2026-09-22T00:00:00","lang":"ms","negative_category":"policy: ambiguous"}
`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Score(context.Background(), rows, Config{Detector: ai.NewRules(ai.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	for bucket, want := range map[string][2]int{"negatives by the detector": {1, 1}, "negatives_policy by the detector": {2, 3},
		"negatives_policy": {2, 3}, "negatives_policy by the parser": {0, 3}} {
		if got := rep.Time[bucket]; got == nil || got.Correct != want[0] || got.N != want[1] {
			t.Errorf("%s = %+v, want %d/%d", bucket, got, want[0], want[1])
		}
	}
}
