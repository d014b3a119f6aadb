package assistant_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta/ai/assistant"
	"github.com/juta-app/juta/persistence/pgtest"
)

// A summary of the chat with one number leaves out a longer number that
// starts with the same digits: that is another person.
func TestSummaryMatchesTheWholeNumber(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pgtest.MustOpenDB(t), 1)
	const ali, other = "+60111111111", "+601111111111"
	w.msg(t, "ali", 0, ali, ali, "jumpa esok pukul 3 petang", at(-1, 10))
	w.msg(t, "other", 0, other, other, "a stranger's message", at(-1, 11))
	r := assistant.NewRules(w.db, kl, assistant.WithClock(func() time.Time { return now }))
	ans, err := r.Answer(ctxT(t), w.user, "summarise my chat with +60111111111")
	if err != nil {
		t.Fatal(err)
	}
	checkAnswer(t, w, ruleCase{intent: assistant.IntentSummary,
		text:    []string{"Chat with +60111111111: 1 message (1 from them, 0 from you)", "jumpa esok"},
		notText: []string{"stranger"}, cites: []string{"ali"}}, ans)
}
