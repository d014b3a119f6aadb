package eval

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteTable prints one line per file: its headline over every row, then
// the breakdowns beside it. Time files: accuracy over every row (start,
// kind, interval end and repeat rule must all be right); intent files:
// micro F1 over every row.
func WriteTable(w io.Writer, reps []*Report) error {
	var b strings.Builder
	b.WriteString("| file | rows | headline (every row) | breakdowns |\n|---|---|---|---|\n")
	for _, r := range reps {
		fmt.Fprintf(&b, "| %s | %d | %s | %s |\n", r.File, r.Rows, r.headlineText(), strings.Join(r.breakdowns(), "; "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMisses prints the listed misses of each report, one per line.
func WriteMisses(w io.Writer, reps []*Report) error {
	var b strings.Builder
	for _, r := range reps {
		for _, m := range r.Misses {
			fmt.Fprintf(&b, "%s\t%s\t%s\t%q\twant %s\tgot %s\n", r.File, m.ID, m.Bucket, m.Text, m.Expected, m.Got)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t *Tally) String() string {
	return fmt.Sprintf("%.3f (%d/%d)", t.Accuracy, t.Correct, t.N)
}

func (s *PRF) String() string {
	return fmt.Sprintf("F1 %.3f (P %.3f R %.3f)", s.F1, s.Precision, s.Recall)
}

func (r *Report) headlineText() string {
	switch {
	case r.Headline != nil:
		return "**" + r.Headline.String() + "**"
	case r.IntentAll != nil:
		return "**micro " + r.IntentAll.String() + "**"
	}
	return "not scored"
}

func (r *Report) breakdowns() []string {
	var out []string
	add := func(prefix string, m map[string]*Tally) {
		for _, k := range sortedKeys(m) {
			out = append(out, prefix+k+" "+m[k].String())
		}
	}
	add("", r.Time)
	add("kind ", r.TimeByKind)
	add("start only ", r.StartOnly)
	if r.Recurrence != nil {
		out = append(out, "repeat rule "+r.Recurrence.String())
	}
	for _, k := range sortedKeys(r.Intent) {
		out = append(out, k+" "+r.Intent[k].String())
	}
	if r.Accuracy != nil {
		out = append(out, "row accuracy "+r.Accuracy.String())
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
