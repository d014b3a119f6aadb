package ai

import (
	"strings"
	"time"
	"unicode"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// whenLabel renders a due time relative to the message: "today 3 pm",
// "tomorrow", "Fri 10:30 am", "15 Oct".
func (s *signals) whenLabel() string {
	if !s.hasTime || s.noDay && s.tm.Grain < when.Month {
		return "" // "Isnin atau Selasa", "next week": no one day to name
	}
	t := s.tm.Time.In(s.sent.Location())
	ref := s.sent
	d0 := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, ref.Location())
	d1 := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, ref.Location())
	days := int(d1.Sub(d0).Hours() / 24)
	var day string
	switch {
	case s.tm.Grain >= when.Month:
		return t.Format("Jan 2006")
	case days == 0:
		day = "today"
	case days == 1:
		day = "tomorrow"
	case days > 1 && days < 7:
		day = t.Format("Mon")
	default:
		day = t.Format("2 Jan")
		if t.Year() != ref.Year() {
			day = t.Format("2 Jan 2006")
		}
	}
	if s.tm.Grain <= when.Hour {
		return day + " " + clock(t)
	}
	return day
}

// leadWords open a request without being part of it ("bro tolong ...").
var leadWords = set("hi", "hai", "hello", "hey", "salam", "bro", "sis", "boss", "bos", "dear", "eh", "weh", "oi",
	"tolong", "tlg", "please", "pls", "plz", "kindly", "boleh", "mohon", "minta", "ingatkan", "ingat", "can",
	"could", "would", "you", "u", "tak", "jangan", "jgn", "lupa", "don't", "dont", "forget", "to", "remember",
	"remind", "me", "saya")

// stripLead drops greetings and request words at the start of a clause.
func stripLead(c string) string {
	for {
		c = strings.TrimLeft(c, " ,!")
		end := strings.IndexAny(c, " ,!")
		if end < 0 {
			end = len(c)
		}
		if end == 0 || !leadWords[strings.ToLower(c[:end])] {
			return c
		}
		c = c[end:]
	}
}

// title is a short label for the dashboard.
func (s *signals) title(t juta.ActionType) string {
	w := s.whenLabel()
	join := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return truncateRunes(strings.Join(out, " "), 80)
	}
	switch t {
	case juta.ActionMeeting:
		with := ""
		if len(s.people) > 0 {
			with = "with " + s.people[0]
		}
		return join("Meeting", with, w)
	case juta.ActionPayment:
		if s.hasMoney {
			return join("Pay "+symbol(s.money.currency)+s.money.amount, dueWord(w))
		}
		return join("Payment", dueWord(w))
	case juta.ActionReplyNeeded:
		return join("Reply:", truncateRunes(s.question, 60))
	}
	c := capitalize(forReader(s.clause(), s.sender))
	if c == "" {
		// nothing is left once the cue is cut ("jangan lupa!"): name the type
		c = map[juta.ActionType]string{juta.ActionReminder: "Reminder", juta.ActionTask: "Task"}[t]
	}
	if c == "" {
		c = "Follow up"
	}
	return join(c, dueWord(w))
}

func dueWord(w string) string {
	if w == "" {
		return ""
	}
	return "by " + w
}

// clause is the request itself, without greetings, "please" or the time
// phrase: "tolong hantar dokumen tu esok" -> "hantar dokumen tu".
func (s *signals) clause() string {
	sns := sentences(s.text)
	c := s.text
	if len(sns) > 0 {
		c = sns[0]
		for _, sn := range sns {
			l := strings.ToLower(sn)
			if (s.remind != "" && strings.Contains(l, s.remind)) || (s.request != "" && strings.Contains(l, s.request)) {
				c = sn
				break
			}
		}
	}
	if s.hasTime && strings.Contains(c, s.tm.Text) {
		c = strings.Replace(c, s.tm.Text, "", 1)
	}
	c = stripLead(c)
	c = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) || r == '\uFE0F' || r == '\u200D' {
			return -1
		}
		return r
	}, c)
	c = strings.Trim(strings.Join(strings.Fields(c), " "), " ,.!?-")
	for _, tail := range []string{" by", " before", " sebelum", " on", " at", " pada", " pukul", " ya", " yer", " ye", " k"} {
		c = strings.TrimSuffix(c, tail)
	}
	return truncateRunes(c, 60)
}
