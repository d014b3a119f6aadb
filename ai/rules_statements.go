package ai

import (
	"strings"
)

// Statements that ask nothing of the reader though they name a time or a
// thing to do: a rule for anyone ("All payments must be made within 7 days
// of the invoice date", "Terms: payment within 30 days"), a place that is
// closed ("the clinic is closed on Sundays"), and what the writer did ("I was
// at the clinic this morning", "transfer dah buat pukul 3 tadi"). People read
// these as information: a rule becomes a task only when it is put to the
// reader ("you must pay by Friday") or names this case's amount or day.

// generalRule is true for a rule stated for anyone: a terms or policy line,
// or an obligation in the passive ("must be made", "perlu dijelaskan") that
// addresses nobody and names no amount or day of its own (no time, a
// repeating one, or only a window such as "within 7 days").
func (s *signals) generalRule() bool {
	if s.question != "" || s.remind != "" || s.listQuery || s.todo || s.addressed() {
		return false // "milk should be added to my shopping list" is the user's own list
	}
	if ruleLeads[s.first] {
		return true
	}
	if !s.passiveDuty() || s.hasMoney {
		return false // "bayaran penuh RM1,800 perlu dibuat sebelum majlis" is this reader's bill
	}
	return !s.hasTime || s.repeat != "" || windowOnly(s.tm.Text)
}

// addressed is true when the message speaks to the reader ("you", "awak",
// "pls", "tolong").
func (s *signals) addressed() bool {
	if w, _ := hasAny(s.ws, addressWords); w != "" {
		return true
	}
	_, ok := hasPhrase(s.padded, politeAsks)
	return ok
}

// passiveDuty is an obligation without a doer: "must be paid", "should be
// settled", "perlu dijelaskan", "wajib didaftarkan" (Malay's passive is the
// di- prefix on the verb).
func (s *signals) passiveDuty() bool {
	for i, w := range s.ws[:max(len(s.ws)-1, 0)] {
		if !dutyModals[w] {
			continue
		}
		rest := s.ws[i+1:]
		if rest[0] == "not" {
			rest = rest[1:]
		}
		switch {
		case len(rest) >= 2 && rest[0] == "be" && participle(rest[1]):
			return true
		case len(rest) >= 1 && len(rest[0]) > 4 && strings.HasPrefix(rest[0], "di"):
			return true
		}
	}
	return false
}

// participle is an English past participle: "settled", "made", "paid"
// (not "getting": "my schedule should be getting better" is no rule).
func participle(w string) bool {
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "en") || irregularParticiples[w]
}

// windowOnly is a time that only bounds how long something may take:
// "within 7 days", "dalam masa 30 hari".
func windowOnly(text string) bool {
	w, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(text)), " ")
	return w == "within" || w == "dalam"
}

// closure is true for a notice that a place is closed ("the clinic is
// closed on Sundays", "pejabat ditutup pada hari Jumaat"): the place named
// is no appointment.
func (s *signals) closure() bool {
	if _, note := hasPhrase(s.padded, noteFormulas); s.question != "" || s.request != "" && !note {
		return false // "clinic closed today, can we move the appointment to 3pm?"
	}
	_, ok := hasPhrase(s.padded, closedPhrases)
	return ok
}

// pastStatement is true for what the writer did, said in the English past
// ("I was at the clinic this morning", "we met the supplier at 3"), asking
// nothing of the reader. One clause only.
func (s *signals) pastStatement() bool {
	if len(s.ws) < 2 || s.question != "" || s.remind != "" || s.request != "" || (s.first != "i" && s.first != "we") || s.addressed() ||
		strings.ContainsAny(s.text, ",;") || len(sentences(s.text)) > 1 {
		return false // "I had to cancel, can we meet at 3 instead" asks again
	}
	n := s.ws[1]
	if (n == "just" || n == "already") && len(s.ws) > 2 {
		n = s.ws[2]
	}
	if (n == "was" || n == "were") && len(s.ws) > 2 && strings.HasSuffix(s.ws[2], "ing") {
		return false // "I was thinking we could meet at 3": an idea, not a report
	}
	return pastVerbs[n]
}
