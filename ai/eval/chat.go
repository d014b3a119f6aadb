package eval

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// ChatCorpus is the project's own chat test set: lines in English, Malay and
// both, with the action a reader wants and its due time (see its header).
//
//go:embed testdata/chat_corpus.txt
var ChatCorpus string

// ChatReference is when every corpus line is read as sent: Tue 22 Sep 2026
// 10:00 in Kuala Lumpur.
func ChatReference() time.Time {
	return time.Date(2026, 9, 22, 10, 0, 0, 0, when.DefaultLocation())
}

// ChatLine is one line of the chat corpus.
type ChatLine struct {
	Line int
	Type juta.ActionType // "" for none
	Due  string          // "-", "?", "2006-01-02" or "2006-01-02 15:04"
	Text string
}

// ReadChat parses the corpus format: "TYPE | DUE | TEXT", # comments.
func ReadChat(rd io.Reader) ([]ChatLine, error) {
	var out []ChatLine
	sc := bufio.NewScanner(rd)
	n := 0
	for sc.Scan() {
		n++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		parts := strings.SplitN(s, " | ", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("chat corpus line %d: want TYPE | DUE | TEXT", n)
		}
		l := ChatLine{Line: n, Type: juta.ActionType(parts[0]), Due: parts[1], Text: parts[2]}
		if l.Type == "none" {
			l.Type = ""
		}
		if _, _, err := parseDue(l.Due, time.UTC); err != nil {
			return nil, fmt.Errorf("chat corpus line %d: %w", n, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read chat corpus: %w", err)
	}
	return out, nil
}

// parseDue reads a DUE field; the grain is the precision asserted.
func parseDue(s string, loc *time.Location) (time.Time, when.Grain, error) {
	switch s {
	case "-", "?":
		return time.Time{}, 0, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return t, when.Minute, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("due %q: want -, ?, YYYY-MM-DD or YYYY-MM-DD HH:MM", s)
	}
	return t, when.Day, nil
}

// ChatReport scores a detector on the chat corpus: precision and recall of
// the main action's type, per type, and how often the due time is right
// when the type is.
type ChatReport struct {
	File   string            `json:"file"`
	Rows   int               `json:"rows"`
	Types  map[string]*PRF   `json:"types"`
	Micro  *PRF              `json:"micro"`
	Due    map[string]*Tally `json:"due"` // type -> due time right, among rows of the right type
	DueAll *Tally            `json:"due_all"`
	Misses []Miss            `json:"misses,omitempty"`
}

// ScoreChat runs d over the lines.
func ScoreChat(ctx context.Context, lines []ChatLine, d juta.Detector, maxMisses int) (*ChatReport, error) {
	loc := when.DefaultLocation()
	sent := ChatReference()
	rep := &ChatReport{File: "chat_corpus.txt (own)", Rows: len(lines), Types: map[string]*PRF{}, Due: map[string]*Tally{}, DueAll: &Tally{}}
	for _, l := range lines {
		acts, err := d.Detect(ctx, juta.DetectInput{Message: juta.Message{Text: l.Text, SentAt: sent}, Location: loc})
		if err != nil {
			return nil, fmt.Errorf("detect line %d: %w", l.Line, err)
		}
		main := mainAction(acts)
		label := string(l.Type)
		if label == "" {
			label = "none"
		}
		gold := []juta.ActionType{}
		if l.Type != "" {
			gold = append(gold, l.Type)
		}
		typeOK := scoreTyped(rep.Types, gold, main.Type)
		dueOK, scored, got := dueRight(l, main, loc)
		if typeOK && scored && l.Type != "" {
			if rep.Due[label] == nil {
				rep.Due[label] = &Tally{}
			}
			rep.Due[label].add(dueOK)
			rep.DueAll.add(dueOK)
		}
		if (!typeOK || scored && !dueOK) && len(rep.Misses) < maxMisses {
			g := string(main.Type)
			if g == "" {
				g = "none"
			}
			rep.Misses = append(rep.Misses, Miss{ID: fmt.Sprintf("line %d", l.Line), Bucket: "chat", Text: l.Text,
				Expected: label + " " + l.Due, Got: g + " " + got})
		}
	}
	rep.Micro = &PRF{}
	for _, s := range rep.Types {
		s.finish()
		rep.Micro.TP += s.TP
		rep.Micro.FP += s.FP
		rep.Micro.FN += s.FN
	}
	rep.Micro.finish()
	for _, t := range rep.Due {
		t.finish()
	}
	rep.DueAll.finish()
	return rep, nil
}

func mainAction(acts []juta.Action) juta.Action {
	if len(acts) == 0 {
		return juta.Action{}
	}
	best := acts[0]
	for _, a := range acts[1:] {
		if a.Confidence > best.Confidence {
			best = a
		}
	}
	return best
}

// scoreTyped adds one row to per-type tallies; gold empty means none.
func scoreTyped(per map[string]*PRF, gold []juta.ActionType, got juta.ActionType) bool {
	class := func(t juta.ActionType) *PRF {
		if per[string(t)] == nil {
			per[string(t)] = &PRF{}
		}
		return per[string(t)]
	}
	if len(gold) == 0 {
		if got != "" {
			class(got).FP++
			return false
		}
		return true
	}
	if gold[0] == got {
		class(got).TP++
		return true
	}
	class(gold[0]).FN++
	if got != "" {
		class(got).FP++
	}
	return false
}

// dueRight compares the action's due time with the line's at the line's
// precision; "-" wants none, "?" is not scored.
func dueRight(l ChatLine, a juta.Action, loc *time.Location) (ok, scored bool, got string) {
	got = "no due"
	if a.DueAt != nil {
		got = a.DueAt.In(loc).Format("2006-01-02 15:04")
	}
	switch l.Due {
	case "?":
		return false, false, got
	case "-":
		return a.DueAt == nil, true, got
	}
	want, g, _ := parseDue(l.Due, loc)
	if a.DueAt == nil {
		return false, true, got
	}
	return truncate(a.DueAt.In(loc), g).Equal(truncate(want, g)), true, got
}

// WriteChatTable prints the chat corpus scores: per type precision, recall
// and due-time accuracy.
func WriteChatTable(w io.Writer, r *ChatReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s, %d lines: main action **micro %s**, due time right (of right-typed rows with a due field) **%s**\n\n",
		r.File, r.Rows, r.Micro, r.DueAll)
	b.WriteString("| type | precision | recall | F1 | due right |\n|---|---|---|---|---|\n")
	for _, k := range sortedKeys(r.Types) {
		s := r.Types[k]
		due := "-"
		if t := r.Due[k]; t != nil {
			due = t.String()
		}
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %s |\n", k, s.Precision, s.Recall, s.F1, due)
	}
	for _, m := range r.Misses {
		fmt.Fprintf(&b, "%s\t%s\t%q\twant %s\tgot %s\n", r.File, m.ID, m.Text, m.Expected, m.Got)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
