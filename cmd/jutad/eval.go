package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/ai/eval"
	"github.com/juta-app/juta/ai/llm"
)

// runEval scores the action detector and the time parser on JSONL evaluation
// files (by default every file of the development sets, found by
// eval.FindDir) and on our chat corpus, and prints one headline per file
// with its breakdowns. With -llm the detector is the configured model
// (JUTA_LLM_*) with the rules as its fallback.
func runEval(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	misses := fs.Int("misses", 0, "list up to N misses per file")
	dir := fs.String("dir", "", "folder of the .jsonl files (default $EVAL_DIR, else shared/eval beside the repository)")
	asJSON := fs.Bool("json", false, "print one JSON report per file instead of the tables")
	useLLM := fs.Bool("llm", false, "score the model configured by JUTA_LLM_BASE_URL, JUTA_LLM_MODEL, JUTA_LLM_API_KEY")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files, err := evalFiles(*dir, fs.Args())
	if err != nil {
		return err
	}
	det, label, err := evalDetector(*useLLM, os.Getenv)
	if err != nil {
		return err
	}
	return eval.Run(ctx, os.Stdout, eval.RunOptions{Files: files, Detector: det, Label: label, MaxMisses: *misses, JSON: *asJSON})
}

// evalDetector is the rules, or with useLLM the configured model over them.
func evalDetector(useLLM bool, getenv func(string) string) (juta.Detector, string, error) {
	rules := ai.NewRules(ai.Options{})
	if !useLLM {
		return rules, "rules", nil
	}
	// the same variables as the service (config.go), without its database
	base, model, key := getenv("JUTA_LLM_BASE_URL"), getenv("JUTA_LLM_MODEL"), getenv("JUTA_LLM_API_KEY")
	if base == "" || model == "" {
		return nil, "", errors.New("-llm needs JUTA_LLM_BASE_URL and JUTA_LLM_MODEL (an OpenAI-compatible endpoint)")
	}
	det := llm.New(llm.Config{BaseURL: base, Model: model, APIKey: key, RatePerMinute: -1}, rules)
	return det, "model " + model + " (rules as fallback)", nil
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
