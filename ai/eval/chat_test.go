package eval

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/juta-app/juta/ai"
)

func TestChatCorpusParses(t *testing.T) {
	lines, err := ReadChat(strings.NewReader(ChatCorpus))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 300 {
		t.Fatalf("%d lines, want at least 300", len(lines))
	}
	if _, err := ReadChat(strings.NewReader("meeting | tomorrow | jumpa esok\n")); err == nil {
		t.Error("a due that is not a date was accepted")
	}
}

// TestChatCorpus holds the rules detector to its scores on our own chat
// lines: per type, and the due time when the type is right.
func TestChatCorpus(t *testing.T) {
	lines, err := ReadChat(strings.NewReader(ChatCorpus))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ScoreChat(context.Background(), lines, ai.NewRules(ai.Options{}), 400)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		_ = WriteChatTable(os.Stdout, rep)
	}
	if rep.Micro.F1 < chatFloors["micro"] {
		t.Errorf("micro F1 %.3f < %.2f", rep.Micro.F1, chatFloors["micro"])
	}
	if rep.DueAll.Accuracy < chatFloors["due"] {
		t.Errorf("due accuracy %.3f < %.2f", rep.DueAll.Accuracy, chatFloors["due"])
	}
	for typ, s := range rep.Types {
		if f := chatFloors[typ]; s.F1 < f {
			t.Errorf("%s F1 %.3f < %.2f", typ, s.F1, f)
		}
	}
}

// chatFloors are the scores measured when they were set, rounded down.
var chatFloors = map[string]float64{
	"micro": 0.94, "due": 0.95,
	"meeting": 0.96, "payment": 0.98, "reminder": 0.89, "reply_needed": 0.93, "task": 0.91,
}
