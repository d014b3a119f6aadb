package ai

import (
	"context"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// endOf is the last second of a September 2026 day in Kuala Lumpur.
func endOf(day int) *time.Time {
	t := time.Date(2026, 9, day, 23, 59, 59, 0, when.DefaultLocation())
	return &t
}

func TestTitlesAreWrittenForTheReader(t *testing.T) {
	cases := []struct {
		msg   juta.Message
		title string
	}{
		{juta.Message{Text: "Send me the invoice by 5 pm", Sender: "60123456789@s.whatsapp.net"}, "Send +60123456789 the invoice by today 5 pm"},
		{juta.Message{Text: "tolong hantar resit kat saya esok", Sender: "60198765432:3@s.whatsapp.net"}, "Hantar resit kat +60198765432 by tomorrow"},
		{juta.Message{Text: "pls forward my boarding pass", Sender: "Ali"}, "Forward Ali's boarding pass"},
		// the user's own message keeps its words
		{juta.Message{Text: "Send me the invoice by 5 pm", Sender: "60123456789@s.whatsapp.net", FromMe: true}, "Send me the invoice by today 5 pm"},
		{juta.Message{Text: "meeting tomorrow 9.30am", Sender: "Ali"}, "Meeting tomorrow 9:30 am"},
	}
	for _, c := range cases {
		c.msg.SentAt = sentAt
		acts, err := NewRules(Options{}).Detect(context.Background(), juta.DetectInput{Message: c.msg})
		if err != nil || len(acts) == 0 {
			t.Fatalf("%q: %v %v", c.msg.Text, acts, err)
		}
		if acts[0].Title != c.title {
			t.Errorf("%q: title %q, want %q", c.msg.Text, acts[0].Title, c.title)
		}
	}
}

func TestDayDeadlinesAreDueAtTheEndOfTheDay(t *testing.T) {
	for text, want := range map[string]*time.Time{
		"Pay by Friday ya, RM250":           endOf(25),
		"please send the report by Monday":  endOf(28),
		"bayar sewa sebelum 30hb":           endOf(30),
		"pay RM80 by Friday 3pm":            at(25, 15, 0), // a clock is kept
		"remind me to renew roadtax Monday": at(28, 0, 0),  // reminders keep the day's start
	} {
		acts := detect(t, text)
		if len(acts) == 0 || acts[0].DueAt == nil || !acts[0].DueAt.Equal(*want) {
			t.Errorf("%q: due %v, want %v", text, acts, want)
		}
	}
}
