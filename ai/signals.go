package ai

import (
	"strings"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// signals is what the rules read from one message.
type signals struct {
	text      string
	ws        []string
	joined    string
	padded    string
	sent      time.Time
	tm        when.Result
	hasTime   bool   // a time now or to come is named
	noDay     bool   // ... but no single day (when.NoDay): no due time is set
	repeat    string // the RFC 5545 rule of a repeating phrase ("setiap Isnin"), "" when none
	repDays   []time.Weekday
	money     money
	hasMoney  bool
	people    []string
	pay       bool
	payNoun   bool
	meet      string
	remind    string
	request   string
	verb      string
	todo      bool
	question  string // the question sentence, "" when there is none
	info      bool   // asks about existing things rather than for an action
	listQuery bool   // mentions the user's own lists or calendar
	first     string
	event     string // an event noun ("audit", "site visit", "kursus")
	deadline  bool   // names a deadline ("deadline", "due date", "tarikh akhir")
	sender    string // who sent it, for titles written for the reader; "" for the user's own
}

func readSignals(text string, sent time.Time, opts when.Options) *signals {
	s := &signals{text: text, sent: sent}
	s.ws = words(stripSymbols(text))
	s.joined = strings.Join(s.ws, " ")
	s.padded = " " + s.joined + " "
	if len(s.ws) > 0 {
		s.first = s.ws[0]
	}
	due := when.ReadDue(text, sent, opts)
	s.tm = due.Result
	// a past time is history, not a due time; a time with no single day
	// ("bulan depan", "Isnin atau Selasa") still says when, but sets no due
	s.hasTime = due.State == when.DueTime || due.State == when.NoDay
	s.noDay = due.State == when.NoDay
	if rp, ok := when.ParseRepeat(text); ok {
		s.repeat, s.repDays = rp.RRULE(), rp.ByDay
		if s.hasTime && len(rp.ByDay) > 1 {
			s.tm.Time = firstOfDays(s.tm.Time, sent, rp.ByDay)
		}
	}
	if strings.ContainsAny(text, "0123456789") {
		s.money, s.hasMoney = findMoney(text)
	}
	s.people = findPeople(text)
	if w, _ := hasAny(s.ws, paymentWords); w != "" {
		s.pay = true
	} else if _, ok := hasPhrase(s.padded, paymentPhrases); ok {
		s.pay = true
	}
	if w, _ := hasAny(s.ws, paymentNouns); w != "" {
		s.payNoun = true
	}
	if w, _ := hasAny(s.ws, meetingWords); w != "" {
		s.meet = w
	} else if p, ok := hasPhrase(s.padded, meetingPhrases); ok {
		s.meet = p
	}
	if w, _ := hasAny(s.ws, eventWords); w != "" {
		s.event = w
	} else if p, ok := hasPhrase(s.padded, eventPhrases); ok {
		s.event = p
	}
	_, s.deadline = hasPhrase(s.padded, deadlinePhrases)
	if s.deadline && s.meet == "date" {
		s.meet = "" // "due date", "closing date": not a date out
	}
	s.remind, _ = hasPhrase(s.padded, reminderPhrases)
	s.request, _ = hasPhrase(s.padded, requestPhrases)
	s.verb, _ = hasAny(s.ws, taskVerbs)
	_, s.todo = hasPhrase(s.padded, todoPhrases)
	s.question = questionOf(text)
	_, s.listQuery = hasPhrase(s.padded, listWords)
	if s.listQuery && !addVerbs[s.first] && !editVerbs[s.first] && s.remind == "" {
		s.info = true
	}
	for _, q := range infoQuery {
		if strings.HasPrefix(s.joined+" ", q+" ") {
			s.info = true
			break
		}
	}
	return s
}

// completed is true for a message that reports something done ("I paid
// the bill yesterday", "dah bank in tadi", "Payment received") and asks
// nothing more.
func (s *signals) completed() bool {
	if s.question != "" || s.remind != "" || s.imperative() || editVerbs[s.first] || calendarEdit[s.first] {
		return false
	}
	if s.request != "" && !(s.verb == "check" || s.verb == "semak" || s.verb == "chk" || s.verb == "confirm") {
		return false // "I paid, pls check" asks nothing new; "I paid, pls send the receipt" does
	}
	for i, w := range s.ws {
		if doneWords[w] {
			return true
		}
		if (w == "dah" || w == "sudah" || w == "telah" || w == "already") && i+1 < len(s.ws) {
			n := s.ws[i+1]
			if paymentWords[n] || taskVerbs[n] || n == "siap" || n == "selesai" || n == "jumpa" || n == "settle" ||
				len(n) > 4 && strings.HasPrefix(n, "di") { // a passive: "sudah dibuat", "dah dihantar"
				return true
			}
		}
	}
	_, ok := hasPhrase(s.padded, donePhrases)
	return ok
}

// imperative is true for a message that opens with a verb to do ("send",
// "bayar", "transfer"), unless the next word says it is done: "transfer dah
// buat", "payment done".
func (s *signals) imperative() bool {
	if !taskVerbs[s.first] && !payImperative(s.first) {
		return false
	}
	return len(s.ws) < 2 || !perfective[s.ws[1]]
}

// questionOf returns the sentence that asks the reader something.
func questionOf(text string) string {
	for _, sn := range sentences(text) {
		ws := words(stripSymbols(sn))
		if len(ws) == 0 {
			continue
		}
		if strings.HasSuffix(sn, "?") {
			return sn
		}
		if questionTails[ws[len(ws)-1]] && len(ws) >= 2 {
			return sn
		}
	}
	return ""
}

// kind decides the main action type and its confidence.
func (s *signals) kind() (juta.ActionType, float64) {
	imperative := taskVerbs[s.first] && !s.info
	if s.completed() || s.generalRule() || s.pastStatement() {
		return "", 0 // "dah bayar semalam", "Payment received", terms, "I was at the clinic": nothing left to do
	}
	closed := s.closure() // "the clinic is closed on Sundays" names no appointment
	switch {
	case s.remind != "" && !s.info:
		return juta.ActionReminder, 0.85
	case s.pay && s.payNoun && !s.info && !s.listQuery:
		return juta.ActionPayment, 0.7
	case (s.pay || s.payNoun && s.hasMoney) && (s.hasMoney || s.request != "" || s.question != "" || imperative || s.hasTime || payImperative(s.first)) && !strings.HasPrefix(s.joined, "how much"):
		c := 0.7
		if s.hasMoney {
			c += 0.15
		}
		return juta.ActionPayment, c
	case s.hasMoney && s.request != "":
		return juta.ActionPayment, 0.6
	case s.meet != "" && !s.info && !closed && calendarEdit[s.first]:
		return juta.ActionMeeting, 0.6 // "cancel the dentist appointment"
	case s.meet != "" && !s.info && !closed && (s.hasTime || s.question != "" || s.request != "" || s.first == "jom" || s.first == "let's" || s.first == "lets"):
		c := 0.65
		if s.hasTime {
			c += 0.15
		}
		return juta.ActionMeeting, c
	case s.todo && !s.info:
		return juta.ActionTask, 0.7
	case s.event != "" && s.hasTime && s.tm.Grain <= when.Day && s.question == "" && !s.info && !closed:
		return juta.ActionMeeting, 0.6 // an event at a time, no cue word: "esok pkl 8.30 ada site visit"
	case imperative && s.hasTime && s.request == "" && s.tm.Kind == when.OpenBefore:
		return juta.ActionTask, 0.7 // a deadline: "prepare the payroll before Friday"
	case imperative && s.hasTime && s.request == "":
		return juta.ActionReminder, 0.7 // a note to self: "Call Ibu esok at 3pm"
	case s.request != "" && s.verb != "" && !s.info:
		return juta.ActionTask, 0.65
	case s.request == "let me know" && !s.info:
		return juta.ActionTask, 0.55 // asks to be told: "let me know once the lorry arrives"
	case s.hasTime && s.tm.Kind == when.OpenBefore && s.question == "" && !s.untilState():
		return juta.ActionTask, 0.55 // a deadline: "laporan tu sebelum 5 petang esok"
	case s.hasTime && s.deadline && s.question == "" && !s.info:
		return juta.ActionTask, 0.55 // "deadline for the tender is 30 Sept 12 noon"
	case imperative && len(s.ws) >= 2:
		return juta.ActionTask, 0.55
	case s.hasTime && s.verb != "" && s.tm.Grain < when.Day && s.question == "" && !s.info:
		if comingVerbs[s.verb] {
			return juta.ActionMeeting, 0.5 // a visit at a clock: "customer nak datang showroom esok pukul 3"
		}
		return juta.ActionTask, 0.5 // something to do at a clock: "customer nak collect order pukul 11 pagi lusa"
	case s.question != "" && !s.info:
		return juta.ActionReplyNeeded, 0.6
	case s.question != "":
		return juta.ActionReplyNeeded, 0.45
	}
	return "", 0
}

func payImperative(w string) bool { return w == "pay" || w == "bayar" || w == "transfer" || w == "tf" }

// actions builds the suggestions: the main one, and a reply for an
// invitation that asks a question.
func (s *signals) actions() []juta.Action {
	t, conf := s.kind()
	if t == "" {
		return nil
	}
	a := s.build(t, conf)
	out := []juta.Action{a}
	if t == juta.ActionMeeting && s.question != "" {
		out = append(out, s.build(juta.ActionReplyNeeded, 0.5))
	}
	return out
}

func (s *signals) build(t juta.ActionType, conf float64) juta.Action {
	a := juta.Action{Type: t, Confidence: conf, People: s.people, Span: s.span(t)}
	if s.hasTime && !s.noDay && !(t == juta.ActionMeeting && s.removes()) { // a cancelled meeting has nothing to remind of
		due := s.dueAt(t)
		a.DueAt = &due
		if t != juta.ActionReplyNeeded {
			a.Repeat = s.repeat // it repeats from its first due time
		}
	}
	if t == juta.ActionPayment && s.hasMoney {
		a.Amount, a.Currency = s.money.amount, s.money.currency
	}
	if t == juta.ActionReplyNeeded {
		a.Draft = draftReply(s.question)
	}
	a.Title = s.title(t)
	return a
}

// span is the sentence that justified the action.
func (s *signals) span(t juta.ActionType) string {
	sns := sentences(s.text)
	if len(sns) == 0 {
		return ""
	}
	if t == juta.ActionReplyNeeded && s.question != "" {
		return truncateRunes(s.question, 200)
	}
	key := map[juta.ActionType]string{
		juta.ActionMeeting: s.meet, juta.ActionReminder: s.remind, juta.ActionTask: s.request,
	}[t]
	if t == juta.ActionPayment {
		key = s.money.span
	}
	for _, sn := range sns {
		if key != "" && strings.Contains(strings.ToLower(sn), strings.ToLower(key)) {
			return truncateRunes(sn, 200)
		}
	}
	return truncateRunes(sns[0], 200)
}

// firstOfDays moves a repeating phrase's due time to its first occurrence:
// "gym every mon wed fri 7am" on a Tuesday is due on Wednesday, whichever
// day the parser picked; the clock is kept.
func firstOfDays(due, sent time.Time, days []time.Weekday) time.Time {
	for i := 0; i < 7; i++ {
		d := time.Date(sent.Year(), sent.Month(), sent.Day()+i, due.Hour(), due.Minute(), 0, 0, due.Location())
		for _, wd := range days {
			if d.Weekday() == wd && d.After(sent) {
				return d
			}
		}
	}
	return due
}

// removes is true when the message opens by taking something off the
// calendar: "cancel ...", "can you delete ...", "tolong padam ...".
func (s *signals) removes() bool {
	for i, w := range s.ws {
		if i == 3 {
			break
		}
		if removeVerbs[w] {
			return true
		}
	}
	return false
}

// untilState is true when the time only says how long a state lasts, with no
// verb to do: "I'm on annual leave until Friday", "cuti sampai Isnin".
func (s *signals) untilState() bool {
	if s.verb != "" {
		return false
	}
	w, _, _ := strings.Cut(strings.ToLower(s.tm.Text), " ")
	return w == "until" || w == "till" || w == "untill" || w == "sampai" || w == "hingga" || w == "sehingga"
}
