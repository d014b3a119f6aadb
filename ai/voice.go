package ai

import (
	"strings"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// senderLabel names the sender for the reader: the phone of a WhatsApp JID
// ("60123456789@s.whatsapp.net" -> "+60123456789"), or the text as given.
// It is "" for the user's own messages, whose titles keep their words.
func senderLabel(m juta.Message) string {
	if m.FromMe {
		return ""
	}
	s := m.Sender
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i] // a device suffix
	}
	if s != "" && strings.Trim(s, "0123456789") == "" {
		return "+" + s
	}
	return s
}

// firstPerson are the sender's words for themself, as object or owner,
// that a title written for the reader names instead ("send me" -> "send Ali").
var firstPerson = map[string]string{"me": "", "saya": "", "aku": "", "sy": "", "ak": "", "my": "'s", "mine": "'s"}

// forReader rewrites the sender's first person in a title clause with who
// sent it: "Send me the invoice" -> "Send +60123456789 the invoice". Words
// keep their punctuation; without a sender the clause is returned as is.
func forReader(clause, sender string) string {
	if sender == "" {
		return clause
	}
	fs := strings.Fields(clause)
	changed := false
	for i, f := range fs {
		core := strings.TrimRight(f, ",.!?")
		suffix, ok := firstPerson[strings.ToLower(core)]
		if !ok {
			continue
		}
		fs[i] = sender + suffix + f[len(core):]
		changed = true
	}
	if !changed {
		return clause
	}
	return strings.Join(fs, " ")
}

// clock renders a time of day as chat writes it: "5 pm", "9:30 am", "12 pm".
func clock(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if m == 0 {
		return itoa(h12) + " " + suffix
	}
	return itoa(h12) + ":" + t.Format("04") + " " + suffix
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// dueAt is when an action is due. A day without a clock on a payment or a
// task is a deadline: due at the end of that day ("pay by Friday" is due
// Friday 23:59:59, not its first minute). Meetings and reminders keep the
// start of the day.
func (s *signals) dueAt(t juta.ActionType) time.Time {
	due := s.tm.Time
	if s.tm.Grain == when.Day && (t == juta.ActionPayment || t == juta.ActionTask) {
		y, m, d := due.In(s.sent.Location()).Date()
		due = time.Date(y, m, d, 23, 59, 59, 0, s.sent.Location())
	}
	return due.UTC()
}
