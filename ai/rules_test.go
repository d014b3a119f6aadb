package ai

import (
	"context"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// sentAt is a Tuesday morning in Kuala Lumpur.
var sentAt = time.Date(2026, 9, 22, 9, 15, 0, 0, when.DefaultLocation())

func at(day, hour, min int) *time.Time {
	t := time.Date(2026, 9, day, hour, min, 0, 0, when.DefaultLocation())
	return &t
}

func detect(t *testing.T, text string) []juta.Action {
	t.Helper()
	acts, err := NewRules(Options{}).Detect(context.Background(), juta.DetectInput{
		Message: juta.Message{Text: text, SentAt: sentAt},
	})
	if err != nil {
		t.Fatalf("Detect(%q): %v", text, err)
	}
	return acts
}

func TestRulesDetect(t *testing.T) {
	tests := []struct {
		text     string
		typ      juta.ActionType
		due      *time.Time // nil: not checked
		people   []string
		amount   string
		currency string
		title    string // "" : not checked
		draft    string // "-" : not checked
	}{
		{text: "jumpa esok pukul 3 petang", typ: juta.ActionMeeting, due: at(23, 15, 0), title: "Meeting tomorrow 3 pm", draft: "-"},
		{text: "meeting with Ali on Friday 10am", typ: juta.ActionMeeting, due: at(25, 10, 0), people: []string{"Ali"}, title: "Meeting with Ali Fri 10 am", draft: "-"},
		{text: "lunch tmrw?", typ: juta.ActionMeeting, due: at(23, 12, 0), draft: "-"},
		{text: "Call Ibu esok at 3pm", typ: juta.ActionReminder, due: at(23, 15, 0), people: []string{"Ibu"}, draft: "-"},
		{text: "jangan lupa bayar bil api 😅", typ: juta.ActionReminder, title: "Bayar bil api", draft: "-"},
		{text: "remind me to renew roadtax next Monday", typ: juta.ActionReminder, due: at(28, 0, 0), draft: "-"},
		{text: "boleh transfer RM250 before Friday?", typ: juta.ActionPayment, due: endOf(25), amount: "250.00", currency: "MYR", title: "Pay RM250.00 by Fri", draft: "-"},
		{text: "bayar RM 1,200.50 utk sewa bulan ni", typ: juta.ActionPayment, amount: "1200.50", currency: "MYR", draft: "-"},
		{text: "pls pay $30 for the tickets", typ: juta.ActionPayment, amount: "30.00", currency: "USD", title: "Pay $30.00", draft: "-"},
		{text: "tolong hantar dokumen tu", typ: juta.ActionTask, title: "Hantar dokumen tu", draft: "-"},
		{text: "please send the report by Monday", typ: juta.ActionTask, due: endOf(28), title: "Send the report by Mon", draft: "-"},
		{text: "can you check the invoice from Acme", typ: juta.ActionTask, draft: "-"},
		{text: "awak free tak malam ni?", typ: juta.ActionReplyNeeded, due: at(22, 20, 0), draft: "Ya, saya free."},
		{text: "are you coming?", typ: juta.ActionReplyNeeded, draft: "Yes, I'll be there."},
		{text: "Sis, tlg tgk draf ni by Jumaat ya 🙏", typ: juta.ActionTask, due: endOf(25), draft: "-"},
		{text: "Kak Ros, jom lunch kat Mid Valley Khamis ni pukul 1?", typ: juta.ActionMeeting, due: at(24, 13, 0), people: []string{"Kak Ros"}, draft: "-"},
		{text: "bro tf rm50 kat aku, hutang semalam", typ: juta.ActionPayment, amount: "50.00", currency: "MYR", draft: "-"},
		{text: "dah sampai ke?", typ: juta.ActionReplyNeeded, draft: ""},
		{text: "meetng esok 10.30 pagi kat ofis", typ: juta.ActionMeeting, due: at(23, 10, 30), draft: "-"},
		{text: "Boss nak laporan tu sebelum 5 petang esok", typ: juta.ActionTask, due: at(23, 17, 0), draft: "-"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			acts := detect(t, tt.text)
			if len(acts) == 0 {
				t.Fatalf("no action, want %s", tt.typ)
			}
			a := acts[0]
			if a.Type != tt.typ {
				t.Fatalf("type = %s, want %s (title %q)", a.Type, tt.typ, a.Title)
			}
			if a.Confidence <= 0 || a.Confidence > 1 {
				t.Errorf("confidence %v out of (0,1]", a.Confidence)
			}
			if a.Span == "" || a.Title == "" {
				t.Errorf("span %q / title %q empty", a.Span, a.Title)
			}
			if tt.due != nil {
				if a.DueAt == nil || !a.DueAt.Equal(*tt.due) {
					t.Errorf("due = %v, want %v", a.DueAt, tt.due)
				}
			}
			for _, p := range tt.people {
				if !contains(a.People, p) {
					t.Errorf("people = %v, want %s in it", a.People, p)
				}
			}
			if a.Amount != tt.amount || a.Currency != tt.currency {
				t.Errorf("amount = %q %q, want %q %q", a.Amount, a.Currency, tt.amount, tt.currency)
			}
			if tt.title != "" && a.Title != tt.title {
				t.Errorf("title = %q, want %q", a.Title, tt.title)
			}
			if tt.draft != "-" && a.Draft != tt.draft {
				t.Errorf("draft = %q, want %q", a.Draft, tt.draft)
			}
		})
	}
}

func TestRulesNothing(t *testing.T) {
	for _, text := range []string{
		"ok", "haha", "hahahaha 🤣", "nanti I tengok", "thanks!", "👍", "Ok noted tq", "Selamat pagi semua 🌞",
		"Forwarded\nBREAKING: Harga minyak turun 5 sen mulai esok", "good morning!", "Assalamualaikum", "otw",
		"", "   ", "Makan malam keluarga", "The weather was nice yesterday",
	} {
		if acts := detect(t, text); len(acts) != 0 {
			t.Errorf("%q: got %d actions (%s %q), want none", text, len(acts), acts[0].Type, acts[0].Title)
		}
	}
}

func TestRulesInvitationAlsoNeedsReply(t *testing.T) {
	acts := detect(t, "jom makan tengah hari esok?")
	if len(acts) != 2 || acts[0].Type != juta.ActionMeeting || acts[1].Type != juta.ActionReplyNeeded {
		t.Fatalf("got %+v, want meeting then reply_needed", acts)
	}
}

func TestRulesLocationAndCancel(t *testing.T) {
	sg, err := time.LoadLocation("Asia/Singapore")
	if err != nil {
		t.Skip("no tzdata")
	}
	utc := time.Date(2026, 9, 22, 20, 0, 0, 0, time.UTC) // 04:00 on the 23rd in Singapore
	acts, err := NewRules(Options{}).Detect(context.Background(), juta.DetectInput{
		Message: juta.Message{Text: "meeting tomorrow 9am", SentAt: utc}, Location: sg,
	})
	if err != nil || len(acts) == 0 || acts[0].DueAt == nil {
		t.Fatalf("got %v, %v", acts, err)
	}
	want := time.Date(2026, 9, 24, 9, 0, 0, 0, sg)
	if !acts[0].DueAt.Equal(want) {
		t.Errorf("due = %v, want %v (tomorrow in the user's zone)", acts[0].DueAt, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewRules(Options{}).Detect(ctx, juta.DetectInput{Message: juta.Message{Text: "hi"}}); err == nil {
		t.Error("Detect with a done context: want an error")
	}
}

func TestFindMoney(t *testing.T) {
	tests := []struct{ in, amount, cur string }{
		{"RM250", "250.00", "MYR"}, {"rm 1,200.50", "1200.50", "MYR"}, {"$30", "30.00", "USD"},
		{"SGD 15.5", "15.50", "SGD"}, {"50 ringgit", "50.00", "MYR"}, {"RM1.2k", "1200.00", "MYR"}, {"S$9", "9.00", "SGD"},
	}
	for _, tt := range tests {
		m, ok := findMoney(tt.in)
		if !ok || m.amount != tt.amount || m.currency != tt.cur {
			t.Errorf("findMoney(%q) = %+v %v, want %s %s", tt.in, m, ok, tt.amount, tt.cur)
		}
	}
	if _, ok := findMoney("version 2.5 released"); ok {
		t.Error("a bare number is not money")
	}
}

func TestFindPeople(t *testing.T) {
	got := findPeople("Tolong bagi kat Kak Ros and call +60 12-345 6789, cc Ahmad")
	for _, want := range []string{"Kak Ros", "+60123456789", "Ahmad"} {
		if !contains(got, want) {
			t.Errorf("findPeople = %v, missing %s", got, want)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
