package assistant_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/assistant"
)

type ruleCase struct {
	question string
	intent   string
	text     []string // substrings the answer must contain
	notText  []string // substrings it must not contain
	cites    []string // names of the cited messages, in order
	actions  []string // names of the listed actions' messages, in order
	needsLLM bool
}

func TestRulesAnswers(t *testing.T) {
	t.Parallel()
	a, _ := seed(t)
	r := assistant.NewRules(a.db, kl, assistant.WithClock(func() time.Time { return now }))
	cases := []ruleCase{
		{question: "what is pending today?", intent: assistant.IntentPending,
			text:    []string{"You have 2 open actions (pending or accepted) due today or overdue:", "1. Send the report (overdue since Tue 11 Mar 12:00)", "2. Pay invoice RM50.50 (due Wed 12 Mar 17:00)", "Open actions without a due date: 1."},
			notText: []string{"RM250", "RM999", "RM777"},
			cites:   []string{"report", "inv"}, actions: []string{"report", "inv"}},
		{question: "apa yang pending hari ini?", intent: assistant.IntentPending,
			text:  []string{"Anda ada 2 tindakan terbuka (pending atau diterima), perlu hari ini atau sudah lewat:", "lewat sejak Sel 11 Mac 12:00", "Tindakan terbuka tanpa tarikh: 1."},
			cites: []string{"report", "inv"}, actions: []string{"report", "inv"}},
		{question: "What's pending this week?", intent: assistant.IntentPending,
			text:    []string{"You have 4 open actions (pending or accepted) due this week or overdue:", "Meeting at the office", "Pay RM250.00"},
			actions: []string{"report", "inv", "meet", "pay"}, cites: []string{"report", "inv", "meet", "pay"}},
		{question: "what do I owe?", intent: assistant.IntentPayments,
			text:    []string{"You have 2 open payment requests (RM300.50 in total):", "1. Pay invoice RM50.50", "2. Pay RM250.00"},
			notText: []string{"RM999", "RM777"},
			cites:   []string{"inv", "pay"}, actions: []string{"inv", "pay"}},
		{question: "berapa hutang saya?", intent: assistant.IntentPayments,
			text:  []string{"Anda ada 2 permintaan bayaran yang belum selesai (jumlah RM300.50):", "perlu Jum 14 Mac 18:00"},
			cites: []string{"inv", "pay"}, actions: []string{"inv", "pay"}},
		{question: "payments pending?", intent: assistant.IntentPayments, text: []string{"RM300.50"}, actions: []string{"inv", "pay"}, cites: []string{"inv", "pay"}},
		{question: "what did +60123456789 say yesterday?", intent: assistant.IntentMessages,
			text:    []string{"Messages from +60123456789 yesterday (2):", `Tue 11 Mar 10:00] +60123456789: "Jumpa esok pukul 3 petang di pejabat"`, "Tolong bayar RM250"},
			notText: []string{"ok noted", "hi boss", "secret"},
			cites:   []string{"meet", "pay"}},
		{question: "apa 0123456789 cakap semalam?", intent: assistant.IntentMessages,
			text: []string{"Mesej daripada 0123456789 semalam (2):"}, cites: []string{"meet", "pay"}},
		{question: "apa Ali cakap semalam?", intent: assistant.IntentMessages,
			text:  []string{`Tiada chat yang sepadan dengan "Ali"; mesej semalam ini menyebut nama itu (1):`, "Ali kata dia lambat sikit"},
			cites: []string{"ali"}},
		{question: "what did Ali say?", intent: assistant.IntentMessages,
			text: []string{`No chat matches "Ali"; these messages mention the name (2):`}, cites: []string{"ali", "grp"}},
		{question: "what did +60111222333 say today?", intent: assistant.IntentMessages,
			text: []string{"No messages from +60111222333 today."}},
		{question: "what did they say?", intent: assistant.IntentMessages, text: []string{"Whose messages?"}},
		{question: "summarise my chat with +60123456789", intent: assistant.IntentSummary,
			text: []string{"Chat with +60123456789: 4 messages (3 from them, 1 from you), from Sun 9 Mar to Tue 11 Mar.",
				"Last messages:", `you: "ok noted"`, "Open actions from this chat (2):", "1. Meeting at the office (due Thu 13 Mar 15:00)", "2. Pay RM250.00"},
			notText: []string{"secret", "Invoice"},
			cites:   []string{"hi", "meet", "pay", "ok"}, actions: []string{"meet", "pay"}},
		{question: "ringkaskan chat saya dengan 012-345 6789", intent: assistant.IntentSummary,
			text:  []string{"Chat dengan 012-345 6789: 4 mesej (3 daripada mereka, 1 daripada anda), dari Ahd 9 Mac hingga Sel 11 Mac.", "Mesej terakhir:", "Tindakan terbuka daripada chat ini (2):"},
			cites: []string{"hi", "meet", "pay", "ok"}, actions: []string{"meet", "pay"}},
		{question: "summarize my chat with +60100000001", intent: assistant.IntentSummary, text: []string{"There are no messages with +60100000001."}},
		{question: "any meetings tomorrow?", intent: assistant.IntentMeetings,
			text:  []string{"You have 1 meeting tomorrow:", "1. Meeting at the office (due Thu 13 Mar 15:00)"},
			cites: []string{"meet"}, actions: []string{"meet"}},
		{question: "ada meeting esok?", intent: assistant.IntentMeetings,
			text:  []string{"Anda ada 1 meeting esok:", "perlu Kha 13 Mac 15:00"},
			cites: []string{"meet"}, actions: []string{"meet"}},
		{question: "any meetings next week?", intent: assistant.IntentMeetings,
			text: []string{"Team meeting"}, cites: []string{"grp"}, actions: []string{"grp"}},
		{question: "any meetings?", intent: assistant.IntentMeetings,
			text: []string{"You have 2 meetings in the next 7 days:"}, cites: []string{"meet", "grp"}, actions: []string{"meet", "grp"}},
		{question: "ada mesyuarat hari ini?", intent: assistant.IntentMeetings, text: []string{"Tiada meeting hari ini."}},
		{question: "draft a reply to Siti", intent: assistant.IntentDraft, needsLLM: true, text: []string{"I need an AI model (LLM) to draft replies"}},
		{question: "tolong balas mesej Siti", intent: assistant.IntentDraft, needsLLM: true, text: []string{"Saya perlukan model AI (LLM)"}},
		{question: "why is the sky blue?", intent: assistant.IntentUnknown, needsLLM: true, text: []string{"I need an AI model (LLM) to answer open questions"}},
		{question: "kenapa dia marah?", intent: assistant.IntentUnknown, needsLLM: true, text: []string{"Saya perlukan model AI (LLM) untuk menjawab soalan terbuka"}},
	}
	for _, tc := range cases {
		t.Run(tc.question, func(t *testing.T) {
			ans, err := r.Answer(ctxT(t), a.user, tc.question)
			if err != nil {
				t.Fatal(err)
			}
			checkAnswer(t, a, tc, ans)
		})
	}
}

func checkAnswer(t *testing.T, w *world, tc ruleCase, ans juta.Answer) {
	t.Helper()
	if ans.Intent != tc.intent || ans.NeedsLLM != tc.needsLLM {
		t.Errorf("intent = %q needsLLM = %v, want %q %v", ans.Intent, ans.NeedsLLM, tc.intent, tc.needsLLM)
	}
	for _, s := range tc.text {
		if !strings.Contains(ans.Text, s) {
			t.Errorf("answer lacks %q:\n%s", s, ans.Text)
		}
	}
	for _, s := range tc.notText {
		if strings.Contains(ans.Text, s) {
			t.Errorf("answer has %q:\n%s", s, ans.Text)
		}
	}
	if got, want := msgIDs(ans.Citations), w.ids(tc.cites...); !slices.Equal(got, want) {
		t.Errorf("citations = %v, want %v (%v)\n%s", got, want, tc.cites, ans.Text)
	}
	// Actions are named after the messages they were drawn from.
	wantActs := []int64{}
	for _, n := range tc.actions {
		wantActs = append(wantActs, w.acts[n].ID)
	}
	if got := actIDs(ans.Actions); !slices.Equal(got, wantActs) {
		t.Errorf("actions = %v, want %v (%v)\n%s", got, wantActs, tc.actions, ans.Text)
	}
	for _, m := range ans.Citations {
		if m.UserID != w.user {
			t.Errorf("cites another user's message %d", m.ID)
		}
	}
	for _, a := range ans.Actions {
		if a.UserID != w.user {
			t.Errorf("lists another user's action %d", a.ID)
		}
	}
}

func TestRulesRejectsBadQuestions(t *testing.T) {
	t.Parallel()
	r := assistant.NewRules(nil, kl)
	if _, err := r.Answer(ctxT(t), 1, "   "); juta.ErrorCode(err) != juta.EINVALID {
		t.Fatalf("empty: %v", err)
	}
	if _, err := r.Answer(ctxT(t), 1, strings.Repeat("a", assistant.MaxQuestionLen+1)); juta.ErrorCode(err) != juta.ETOOLARGE {
		t.Fatalf("long: %v", err)
	}
}

// TestRulesIsolation: user B talks to the same contact as user A; nothing B
// asks may cite or list A's data, and the other way round.
func TestRulesIsolation(t *testing.T) {
	t.Parallel()
	a, b := seed(t)
	r := assistant.NewRules(a.db, kl, assistant.WithClock(func() time.Time { return now }))
	bCases := []ruleCase{
		{question: "what did +60123456789 say yesterday?", intent: assistant.IntentMessages,
			text: []string{"Messages from +60123456789 yesterday (1):", "secret"}, notText: []string{"Jumpa", "bayar RM250"},
			cites: []string{"secret"}},
		{question: "apa yang pending hari ini?", intent: assistant.IntentPending,
			text: []string{"RM777"}, notText: []string{"report", "invoice"}, cites: []string{"secret"}, actions: []string{"secret"}},
		{question: "summarise my chat with +60123456789", intent: assistant.IntentSummary,
			text: []string{"1 message (1 from them, 0 from you)"}, notText: []string{"hi boss", "Meeting"},
			cites: []string{"secret"}, actions: []string{"secret"}},
		{question: "what did Ali say?", intent: assistant.IntentMessages, text: []string{"No messages from Ali."}},
		{question: "any meetings?", intent: assistant.IntentMeetings, text: []string{"No meetings in the next 7 days."}},
	}
	for _, tc := range bCases {
		ans, err := r.Answer(ctxT(t), b.user, tc.question)
		if err != nil {
			t.Fatal(err)
		}
		checkAnswer(t, b, tc, ans)
	}
	for _, q := range []string{"what do I owe?", "what is pending this week?", "ringkaskan chat dengan +60123456789"} {
		ans, err := r.Answer(ctxT(t), a.user, q)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ans.Text, "secret") || strings.Contains(ans.Text, "RM777") {
			t.Errorf("%q shows B's data to A:\n%s", q, ans.Text)
		}
		for _, m := range ans.Citations {
			if m.UserID != a.user {
				t.Errorf("%q cites B's message %d", q, m.ID)
			}
		}
	}
}
