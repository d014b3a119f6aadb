package assistant

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/juta-app/juta"
)

// phrases holds every sentence the rules write, per language. Verbs take
// the count and the period first where they have them.
type phrases struct {
	pendingSome, pendingNone     string // count, period
	undated                      string // count
	overdueSince, due            string // time
	paymentsSome, paymentsNone   string // count, totals
	meetingsSome, meetingsNone   string // count, period
	fromSome, fromNone           string // contact, period, count
	mentionSome                  string // contact, period, count
	needContact                  string
	summaryHead, summaryEmpty    string // contact, total, theirs, mine, first, last
	lastMessages, openFromChat   string // -, count
	moreThan                     string // count
	needsLLM, needsLLMDraft      string
	you, today, nextWeek, before string
	nouns                        map[string][2]string // key -> singular, plural
	weekdays                     [7]string
	months                       [12]string
}

var texts = map[Lang]phrases{
	English: {
		pendingSome:   "You have %s due %s or overdue:",
		pendingNone:   "No open action (pending or accepted) is due %s or overdue.",
		undated:       "Open actions without a due date: %d.",
		overdueSince:  "overdue since %s",
		due:           "due %s",
		paymentsSome:  "You have %s (%s in total):",
		paymentsNone:  "You have no open payment requests.",
		meetingsSome:  "You have %s %s:",
		meetingsNone:  "No meetings %s.",
		fromSome:      "Messages from %s%s (%d):",
		fromNone:      "No messages from %s%s.",
		mentionSome:   "No chat matches %q; these messages%s mention the name (%d):",
		needContact:   "Whose messages? Name a contact or a phone number, for example \"what did +60123456789 say yesterday?\"",
		summaryHead:   "Chat with %s: %s (%d from them, %d from you), from %s to %s.",
		summaryEmpty:  "There are no messages with %s%s.",
		lastMessages:  "Last messages:",
		openFromChat:  "Open actions from this chat (%d):",
		moreThan:      "at least %d",
		needsLLM:      "I need an AI model (LLM) to answer open questions, and none is available right now. I can tell you what is pending today, what you owe, what someone said, summarise a chat with someone, or list your meetings.",
		needsLLMDraft: "I need an AI model (LLM) to draft replies or give advice, and none is available right now. I can show you what they said: ask \"what did <name or number> say?\"",
		you:           "you",
		today:         "today",
		nextWeek:      "in the next 7 days",
		before:        "before %s",
		nouns: map[string][2]string{
			"pending": {"open action (pending or accepted)", "open actions (pending or accepted)"},
			"message": {"message", "messages"},
			"payment": {"open payment request", "open payment requests"},
			"meeting": {"meeting", "meetings"},
		},
		weekdays: [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
		months:   [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	},
	Malay: {
		pendingSome:   "Anda ada %s, perlu %s atau sudah lewat:",
		pendingNone:   "Tiada tindakan terbuka (pending atau diterima) yang perlu %s atau sudah lewat.",
		undated:       "Tindakan terbuka tanpa tarikh: %d.",
		overdueSince:  "lewat sejak %s",
		due:           "perlu %s",
		paymentsSome:  "Anda ada %s (jumlah %s):",
		paymentsNone:  "Tiada permintaan bayaran yang belum selesai.",
		meetingsSome:  "Anda ada %s %s:",
		meetingsNone:  "Tiada meeting %s.",
		fromSome:      "Mesej daripada %s%s (%d):",
		fromNone:      "Tiada mesej daripada %s%s.",
		mentionSome:   "Tiada chat yang sepadan dengan %q; mesej%s ini menyebut nama itu (%d):",
		needContact:   "Mesej siapa? Sebut nama atau nombor telefon, contohnya \"apa +60123456789 cakap semalam?\"",
		summaryHead:   "Chat dengan %s: %s (%d daripada mereka, %d daripada anda), dari %s hingga %s.",
		summaryEmpty:  "Tiada mesej dengan %s%s.",
		lastMessages:  "Mesej terakhir:",
		openFromChat:  "Tindakan terbuka daripada chat ini (%d):",
		moreThan:      "sekurang-kurangnya %d",
		needsLLM:      "Saya perlukan model AI (LLM) untuk menjawab soalan terbuka, dan tiada yang tersedia sekarang. Saya boleh beritahu apa yang pending hari ini, bayaran yang belum dibuat, apa seseorang cakap, ringkaskan chat dengan seseorang, atau senaraikan meeting anda.",
		needsLLMDraft: "Saya perlukan model AI (LLM) untuk mendraf balasan atau memberi nasihat, dan tiada yang tersedia sekarang. Saya boleh tunjukkan apa yang mereka cakap: tanya \"apa <nama atau nombor> cakap?\"",
		you:           "anda",
		today:         "hari ini",
		nextWeek:      "dalam 7 hari akan datang",
		before:        "sebelum %s",
		nouns: map[string][2]string{
			"pending": {"tindakan terbuka (pending atau diterima)", "tindakan terbuka (pending atau diterima)"},
			"message": {"mesej", "mesej"},
			"payment": {"permintaan bayaran yang belum selesai", "permintaan bayaran yang belum selesai"},
			"meeting": {"meeting", "meeting"},
		},
		weekdays: [7]string{"Ahd", "Isn", "Sel", "Rab", "Kha", "Jum", "Sab"},
		months:   [12]string{"Jan", "Feb", "Mac", "Apr", "Mei", "Jun", "Jul", "Ogo", "Sep", "Okt", "Nov", "Dis"},
	},
}

// writer builds an answer's text in one language and zone.
type writer struct {
	p   phrases
	loc *time.Location
	b   strings.Builder
}

func newWriter(lang Lang, loc *time.Location) *writer {
	p, ok := texts[lang]
	if !ok {
		p = texts[English]
	}
	return &writer{p: p, loc: loc}
}

func (w *writer) line(format string, args ...any) {
	if w.b.Len() > 0 {
		w.b.WriteByte('\n')
	}
	fmt.Fprintf(&w.b, format, args...)
}

func (w *writer) String() string { return w.b.String() }

// count renders n of a noun: "1 meeting", "2 meetings".
func (w *writer) count(n int, noun string) string {
	forms := w.p.nouns[noun]
	if n == 1 {
		return fmt.Sprintf("%d %s", n, forms[0])
	}
	return fmt.Sprintf("%d %s", n, forms[1])
}

// when renders an instant as "Tue 11 Mar 15:04" ("Sel 11 Mac 15:04").
func (w *writer) when(t time.Time) string {
	t = t.In(w.loc)
	return fmt.Sprintf("%s %d %s %s", w.p.weekdays[t.Weekday()], t.Day(), w.p.months[t.Month()-1], t.Format("15:04"))
}

// day renders a date as "Tue 11 Mar".
func (w *writer) day(t time.Time) string {
	t = t.In(w.loc)
	return fmt.Sprintf("%s %d %s", w.p.weekdays[t.Weekday()], t.Day(), w.p.months[t.Month()-1])
}

// quote renders one message as a cited line; its text is the user's own
// data and is shown, shortened, on one line.
func (w *writer) quote(m juta.Message) {
	who := m.Sender
	if m.FromMe {
		who = w.p.you
	}
	text := strings.Join(strings.Fields(m.Text), " ")
	w.line("- [%s] %s: \"%s\"", w.when(m.SentAt), who, truncateRunes(text, 200))
}

// action renders one numbered action with its due time.
func (w *writer) action(i int, a juta.Action, now time.Time) {
	line := fmt.Sprintf("%d. %s", i+1, a.Title)
	if m := money(a.Currency, a.Amount); a.Amount != "" && !strings.Contains(a.Title, m) {
		line += " — " + m
	}
	if due := effectiveDue(a); due != nil {
		if due.Before(now) {
			line += " (" + fmt.Sprintf(w.p.overdueSince, w.when(*due)) + ")"
		} else {
			line += " (" + fmt.Sprintf(w.p.due, w.when(*due)) + ")"
		}
	}
	w.line("%s", line)
}

// effectiveDue is when an action is due: its snooze time when snoozed.
func effectiveDue(a juta.Action) *time.Time {
	if a.SnoozeUntil != nil {
		return a.SnoozeUntil
	}
	return a.DueAt
}

// money renders an amount the way Malaysians write it: RM250.00.
func money(currency, amount string) string {
	switch currency {
	case "MYR", "":
		return "RM" + amount
	case "USD":
		return "$" + amount
	case "SGD":
		return "S$" + amount
	}
	return currency + " " + amount
}

// totals sums amounts per currency exactly ("RM300.00 + $12.50").
func totals(acts []juta.Action) string {
	sums := map[string]*big.Rat{}
	for _, a := range acts {
		v, ok := new(big.Rat).SetString(a.Amount)
		if !ok {
			continue
		}
		if sums[a.Currency] == nil {
			sums[a.Currency] = new(big.Rat)
		}
		sums[a.Currency].Add(sums[a.Currency], v)
	}
	curs := make([]string, 0, len(sums))
	for c := range sums {
		curs = append(curs, c)
	}
	slices.Sort(curs)
	parts := make([]string, len(curs))
	for i, c := range curs {
		parts[i] = money(c, sums[c].FloatString(2))
	}
	if len(parts) == 0 {
		return money("MYR", "0.00")
	}
	return strings.Join(parts, " + ")
}

// opt is the user's time phrase with a leading space, or nothing.
func opt(q Query) string {
	if q.Period == "" {
		return ""
	}
	return " " + q.Period
}

// period names the window for a sentence: the user's own phrase when there
// was one, else the intent's default.
func (w *writer) period(q Query, def string) string {
	if q.Period != "" {
		return q.Period
	}
	return def
}
