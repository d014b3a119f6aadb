package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/ai/eval"
)

// runEval scores the rules detector and the time parser on JSONL evaluation
// files and prints one JSON report per file.
func runEval(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	misses := fs.Int("misses", 0, "list up to N misses per file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("usage: jutad eval [-misses N] FILE.jsonl...")
	}
	cfg := eval.Config{Detector: ai.NewRules(ai.Options{}), MaxMisses: *misses}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	for _, path := range fs.Args() {
		rep, err := eval.File(ctx, path, cfg)
		if err != nil {
			return err
		}
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}
