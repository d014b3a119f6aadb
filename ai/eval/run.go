package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/juta-app/juta"
)

// RunOptions say what Run scores and how it prints.
type RunOptions struct {
	Files     []string      // .jsonl files of the development sets
	Detector  juta.Detector // the rules, or a model with the rules behind it
	Label     string        // names the detector in the output
	MaxMisses int
	JSON      bool
}

// Run scores the files and our chat corpus with o.Detector and writes the
// tables (or JSON): one headline per file over every row, breakdowns beside
// it. Time, negative and recurrence rows score the time parser, which every
// detector shares; intent rows and the chat corpus score the detector.
func Run(ctx context.Context, w io.Writer, o RunOptions) error {
	cfg := Config{Detector: o.Detector, MaxMisses: o.MaxMisses}
	reps := make([]*Report, 0, len(o.Files))
	for _, path := range o.Files {
		rep, err := File(ctx, path, cfg)
		if err != nil {
			return err
		}
		reps = append(reps, rep)
	}
	lines, err := ReadChat(strings.NewReader(ChatCorpus))
	if err != nil {
		return err
	}
	chat, err := ScoreChat(ctx, lines, o.Detector, o.MaxMisses)
	if err != nil {
		return err
	}
	if o.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		for _, rep := range reps {
			if err := enc.Encode(rep); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
		}
		return enc.Encode(chat)
	}
	if o.Label != "" {
		if _, err := fmt.Fprintf(w, "detector: %s\n\n", o.Label); err != nil {
			return err
		}
	}
	if err := WriteTable(w, reps); err != nil {
		return err
	}
	if err := WriteMisses(w, reps); err != nil {
		return err
	}
	return WriteChatTable(w, chat)
}
