package eval

import (
	"strings"
	"testing"
	"time"
)

func TestScoreStarts(t *testing.T) {
	rows, err := ReadRows(strings.NewReader(`{"text": "esok pukul 3 petang", "reference": "2026-09-22T10:00:00", "expected": "2026-09-23T15:00:00", "grain": "minute"}
{"text": "jumpa Jumaat", "reference": "2026-09-22T10:00:00", "expected": "2026-09-25T00:00:00", "grain": "day"}
{"text": "ok noted", "reference": "2026-09-22T10:00:00", "expected": null}
{"text": "hantar report esok", "label": "task"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := ScoreStarts(rows, WhenStart); got != (StartTally{Right: 3, Rows: 3}) {
		t.Errorf("ai/when: %+v, want 3 of 3 (the intent row left out)", got)
	}
	never := func(*Row, time.Time, *time.Location) (time.Time, bool) { return time.Time{}, false }
	if got := ScoreStarts(rows, never); got != (StartTally{Right: 1, Rows: 3}) {
		t.Errorf("a reader that finds nothing: %+v, want only the negative right", got)
	}
}
