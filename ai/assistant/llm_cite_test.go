package assistant

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/juta-app/juta"
)

func citeRun() *toolRun {
	l := NewLLM(Config{Location: time.UTC}, nil, nil)
	return &toolRun{l: l, uid: 1, nonce: "n",
		msgs: map[int64]juta.Message{7: {ID: 7, UserID: 1}, 8: {ID: 8, UserID: 1}},
		acts: map[int64]juta.Action{3: {ID: 3, UserID: 1}}}
}

func TestAnswerCitations(t *testing.T) {
	cases := []struct{ in, text string }{
		{"Meet [m7] and pay [a3].", "Meet [m7] and pay [a3]."},
		{"Both [m7, m8, m9] here.", "Both [m7, m8] here."},
		{"Unknown [m9]. Known [m8]", "Unknown. Known [m8]"},
		{"[a7] starts", "starts"},
		{"- item [m7]\n  - nested  spaced [m1]", "- item [m7]\n  - nested  spaced"},
	}
	for _, tc := range cases {
		ans, _, err := citeRun().answer(tc.in)
		if err != nil || ans.Text != tc.text {
			t.Errorf("%q -> %q, %v; want %q", tc.in, ans.Text, err, tc.text)
		}
	}
	if _, _, err := citeRun().answer(" [m9] "); err == nil {
		t.Errorf("an answer of nothing but a bad citation was accepted")
	}
}

func FuzzAnswerCitations(f *testing.F) {
	for _, s := range []string{"Meet [m7] and pay [a3].", "[m7,m8,m9]", "[m99999999999999999999]", "[a]", "\x00[m7]", "[ m7 , a3 ]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		r := citeRun()
		ans, _, err := r.answer(content)
		if err != nil {
			return
		}
		for _, m := range ans.Citations {
			if _, ok := r.msgs[m.ID]; !ok {
				t.Fatalf("cites unknown message %d", m.ID)
			}
		}
		for _, a := range ans.Actions {
			if _, ok := r.acts[a.ID]; !ok {
				t.Fatalf("lists unknown action %d", a.ID)
			}
		}
		if strings.Contains(ans.Text, removed) || utf8.ValidString(content) && !utf8.ValidString(ans.Text) {
			t.Fatalf("bad text %q", ans.Text)
		}
	})
}
