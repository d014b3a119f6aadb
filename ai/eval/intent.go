package eval

import (
	"context"
	"strings"
	"time"

	"github.com/juta-app/juta"
)

// intentReference is the SentAt given to intent rows (their text has no
// date of its own that matters to the label).
var intentReference = time.Date(2026, 9, 22, 10, 0, 0, 0, time.UTC)

// goldTypes maps a dataset label to the action types that count as right.
// An empty result means "no action expected".
//
//   - CLINC150 "meeting_or_appointment", "reminder", "payment", "task_todo"
//     map to meeting, reminder, payment, task. Its "(query)" labels ask about
//     existing items ("what is on my todo list") and are not requests to do
//     anything, so they map to none, like "none" (out of scope).
//   - HWU64 "meeting_or_appointment/reminder" (calendar_set, alarm_set) is
//     right as either meeting or reminder.
//   - Enron "actionable_intent" asks the reader to do something: any action
//     type is right (scored as one binary class, "action"); "no_intent" is none.
func goldTypes(label string) []juta.ActionType {
	switch label {
	case "meeting_or_appointment":
		return []juta.ActionType{juta.ActionMeeting}
	case "reminder":
		return []juta.ActionType{juta.ActionReminder}
	case "payment":
		return []juta.ActionType{juta.ActionPayment}
	case "task_todo":
		return []juta.ActionType{juta.ActionTask}
	case "meeting_or_appointment/reminder":
		return []juta.ActionType{juta.ActionMeeting, juta.ActionReminder}
	case "actionable_intent":
		return []juta.ActionType{anyAction}
	}
	return nil
}

// anyAction is the binary class of the Enron rows.
const anyAction juta.ActionType = "action"

// PRF is precision, recall and F1 of one class.
type PRF struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func (s *PRF) finish() {
	if s.TP+s.FP > 0 {
		s.Precision = round3(float64(s.TP) / float64(s.TP+s.FP))
	}
	if s.TP+s.FN > 0 {
		s.Recall = round3(float64(s.TP) / float64(s.TP+s.FN))
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = round3(2 * s.Precision * s.Recall / (s.Precision + s.Recall))
	}
}

// predict returns the detector's main action type for a text, "" for none.
func predict(ctx context.Context, d juta.Detector, text string, loc *time.Location) (juta.ActionType, error) {
	acts, err := d.Detect(ctx, juta.DetectInput{
		Message:  juta.Message{Text: text, SentAt: intentReference},
		Location: loc,
	})
	if err != nil || len(acts) == 0 {
		return "", err
	}
	best := acts[0]
	for _, a := range acts[1:] {
		if a.Confidence > best.Confidence {
			best = a
		}
	}
	return best.Type, nil
}

// scoreIntent adds one row to the per-class tallies and reports whether it
// was right.
func scoreIntent(per map[string]*PRF, label string, got juta.ActionType) bool {
	gold := goldTypes(label)
	class := func(t juta.ActionType) *PRF {
		k := string(t)
		if per[k] == nil {
			per[k] = &PRF{}
		}
		return per[k]
	}
	if label == "actionable_intent" || label == "no_intent" {
		if got != "" {
			got = anyAction
		}
	}
	if len(gold) == 0 {
		if got != "" {
			class(got).FP++
			return false
		}
		return true
	}
	for _, g := range gold {
		if g == got {
			class(g).TP++
			return true
		}
	}
	class(gold[0]).FN++
	if got != "" {
		class(got).FP++
	}
	return false
}

func labelName(gold []juta.ActionType) string {
	if len(gold) == 0 {
		return "none"
	}
	parts := make([]string, len(gold))
	for i, g := range gold {
		parts[i] = string(g)
	}
	return strings.Join(parts, "|")
}
