package ai

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// A repeating phrase gives the action its rule, due at the first occurrence.
func TestActionsRepeat(t *testing.T) {
	cases := []struct {
		text string
		typ  juta.ActionType
		rule string
		due  *time.Time
	}{
		{"setiap Isnin pukul 9 pagi meeting team", juta.ActionMeeting, "FREQ=WEEKLY;BYDAY=MO", at(28, 9, 0)},
		{"tiap-tiap bulan 5hb bayar sewa RM800", juta.ActionPayment, "FREQ=MONTHLY;BYMONTHDAY=5", nil},
		{"gym every mon wed fri 7am", juta.ActionMeeting, "FREQ=WEEKLY;BYDAY=MO,WE,FR", at(23, 7, 0)},
		{"remind me every day at 10pm to take my medicine", juta.ActionReminder, "FREQ=DAILY", at(22, 22, 0)},
		{"jumpa esok 3pm", juta.ActionMeeting, "", at(23, 15, 0)},
	}
	for _, c := range cases {
		acts := detect(t, c.text)
		if len(acts) == 0 || acts[0].Type != c.typ {
			t.Errorf("%q: got %+v, want a %s", c.text, acts, c.typ)
			continue
		}
		a := acts[0]
		if a.Repeat != c.rule {
			t.Errorf("%q: repeat %q, want %q", c.text, a.Repeat, c.rule)
		}
		if c.due != nil && (a.DueAt == nil || !a.DueAt.Equal(*c.due)) {
			t.Errorf("%q: due %v, want %v", c.text, a.DueAt, c.due)
		}
		if a.Repeat != "" {
			if _, err := juta.ParseRule(a.Repeat); err != nil {
				t.Errorf("%q: rule %q does not read back: %v", c.text, a.Repeat, err)
			}
		}
	}
}
