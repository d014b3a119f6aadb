package ai

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"
)

// corpusLines reads the text of our own chat corpus (ai/eval/testdata).
func corpusLines(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("eval/testdata/chat_corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if parts := strings.SplitN(line, " | ", 3); len(parts) == 3 {
			out = append(out, parts[2])
		}
	}
	return out
}

// TestCuesAreChatWords keeps every intent cue a thing people write: each
// must match at least three distinct lines of our own chat corpus, matched
// the way the detector matches it. A cue fitted to one data set's typo or
// phrasing fails here.
func TestCuesAreChatWords(t *testing.T) {
	type norm struct {
		ws             []string
		joined, padded string
	}
	var lines []norm
	for _, l := range corpusLines(t) {
		ws := words(stripSymbols(l))
		j := strings.Join(ws, " ")
		lines = append(lines, norm{ws, j, " " + j + " "})
	}
	count := func(match func(n norm) bool) int {
		c := 0
		for _, n := range lines {
			if match(n) {
				c++
			}
		}
		return c
	}
	var weak []string
	check := func(list, cue string, n int) {
		if n < 3 {
			weak = append(weak, list+": "+cue)
		}
	}
	sets := map[string]map[string]bool{"paymentWords": paymentWords, "paymentNouns": paymentNouns,
		"meetingWords": meetingWords, "taskVerbs": taskVerbs, "calendarEdit": calendarEdit, "eventWords": eventWords, "editVerbs": editVerbs,
		"doneWords": doneWords, "ruleLeads": ruleLeads, "dutyModals": dutyModals, "addressWords": addressWords,
		"pastVerbs": pastVerbs, "perfective": perfective}
	for name, s := range sets {
		for cue := range s {
			check(name, cue, count(func(n norm) bool { w, _ := hasAny(n.ws, map[string]bool{cue: true}); return w != "" }))
		}
	}
	lists := map[string]phraseList{"paymentPhrases": paymentPhrases, "meetingPhrases": meetingPhrases,
		"reminderPhrases": reminderPhrases, "requestPhrases": requestPhrases, "todoPhrases": todoPhrases, "listWords": listWords,
		"eventPhrases": eventPhrases, "donePhrases": donePhrases, "deadlinePhrases": deadlinePhrases,
		"politeAsks": politeAsks, "closedPhrases": closedPhrases, "noteFormulas": noteFormulas}
	for name, l := range lists {
		for i, p := range l.padded {
			check(name, l.plain[i], count(func(n norm) bool { return strings.Contains(n.padded, p) }))
		}
	}
	for _, q := range infoQuery {
		check("infoQuery", q, count(func(n norm) bool { return strings.HasPrefix(n.joined+" ", q+" ") }))
	}
	sort.Strings(weak)
	if len(weak) > 0 {
		t.Errorf("%d cues match fewer than 3 lines of the chat corpus:\n%s", len(weak), strings.Join(weak, "\n"))
	}
}
