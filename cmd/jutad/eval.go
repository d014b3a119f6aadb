package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/ai/eval"
)

// runEval scores the rules detector and the time parser on JSONL evaluation
// files (by default every file of the development sets, found by
// eval.FindDir) and prints one headline per file with its breakdowns.
func runEval(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	misses := fs.Int("misses", 0, "list up to N misses per file")
	dir := fs.String("dir", "", "folder of the .jsonl files (default $EVAL_DIR, else shared/eval beside the repository)")
	asJSON := fs.Bool("json", false, "print one JSON report per file instead of the table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files, err := evalFiles(*dir, fs.Args())
	if err != nil {
		return err
	}
	cfg := eval.Config{Detector: ai.NewRules(ai.Options{}), MaxMisses: *misses}
	reps := make([]*eval.Report, 0, len(files))
	for _, path := range files {
		rep, err := eval.File(ctx, path, cfg)
		if err != nil {
			return err
		}
		reps = append(reps, rep)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		for _, rep := range reps {
			if err := enc.Encode(rep); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
		}
		return nil
	}
	if err := eval.WriteTable(os.Stdout, reps); err != nil {
		return err
	}
	if err := eval.WriteMisses(os.Stdout, reps); err != nil {
		return err
	}
	lines, err := eval.ReadChat(strings.NewReader(eval.ChatCorpus))
	if err != nil {
		return err
	}
	chat, err := eval.ScoreChat(ctx, lines, cfg.Detector, *misses)
	if err != nil {
		return err
	}
	return eval.WriteChatTable(os.Stdout, chat)
}

// evalFiles is the files named on the command line, or every .jsonl file of
// dir, of $EVAL_DIR, or of shared/eval beside the repository.
func evalFiles(dir string, args []string) ([]string, error) {
	if len(args) > 0 {
		for _, a := range args {
			if _, err := os.Stat(a); err != nil {
				return nil, fmt.Errorf("%w: %s: %v; the development sets live outside the repository "+
					"(shared/eval beside it): set EVAL_DIR or pass -dir", eval.ErrNoData, a, errors.Unwrap(err))
			}
		}
		return args, nil
	}
	if dir != "" {
		return eval.Files(dir)
	}
	d, err := eval.FindDir()
	if err != nil {
		return nil, err
	}
	return eval.Files(d)
}
