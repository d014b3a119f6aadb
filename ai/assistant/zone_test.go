package assistant_test

import (
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta/ai/assistant"
)

// With the users' zones known, the assistant reads "today" and prints times
// in the asking user's zone, not in the server's default.
func TestRulesAnswerInTheUsersZone(t *testing.T) {
	t.Parallel()
	a, _ := seed(t)
	r := assistant.NewRules(a.db, kl, assistant.WithClock(func() time.Time { return now }), assistant.WithZones(a.db))
	ask := func() string {
		ans, err := r.Answer(ctxT(t), a.user, "what is pending today?")
		if err != nil {
			t.Fatal(err)
		}
		return ans.Text
	}
	checkText(t, ask(), "Pay invoice RM50.50 (due Wed 12 Mar 17:00)")
	if _, err := a.db.SetTimeZone(ctxT(t), a.user, "Europe/London"); err != nil {
		t.Fatal(err)
	}
	checkText(t, ask(), "Pay invoice RM50.50 (due Wed 12 Mar 09:00)")
}

func checkText(t *testing.T, text, want string) {
	t.Helper()
	if !strings.Contains(text, want) {
		t.Errorf("answer lacks %q:\n%s", want, text)
	}
}
