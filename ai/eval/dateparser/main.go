// Command dateparser scores ai/when and github.com/markusmobius/go-dateparser
// side by side on the time and negative rows of the development sets, by the
// start alone (eval.ScoreStarts). It is its own module so that the library
// (a WebAssembly regex engine and its language data) stays out of the
// service's dependencies:
//
//	cd ai/eval/dateparser && go run . [-dir ../../../../shared/eval]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	dps "github.com/markusmobius/go-dateparser"

	"github.com/juta-app/juta/ai/eval"
)

func main() {
	dir := flag.String("dir", "", "folder of the .jsonl files (default $EVAL_DIR, else shared/eval beside the repository)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "dateparser:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if dir == "" {
		d, err := eval.FindDir()
		if err != nil {
			return err
		}
		dir = d
	}
	files, err := eval.Files(dir)
	if err != nil {
		return err
	}
	fmt.Println("| file | rows | ai/when (start only) | go-dateparser v1.4.7 |")
	fmt.Println("|---|---|---|---|")
	for _, path := range files {
		if !strings.HasPrefix(filepath.Base(path), "time_") {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		rows, err := eval.ReadRows(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		a, b := eval.ScoreStarts(rows, eval.WhenStart), eval.ScoreStarts(rows, dateparserStart)
		fmt.Printf("| %s | %d | %s | %s |\n", filepath.Base(path), a.Rows, share(a), share(b))
	}
	return nil
}

func share(t eval.StartTally) string {
	if t.Rows == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f (%d/%d)", float64(t.Right)/float64(t.Rows), t.Right, t.Rows)
}

// dateparserStart reads a row with go-dateparser: Parse on the whole text,
// else the first Search hit; English, or Malay then English for Malay rows;
// the row's date order; future dates preferred.
func dateparserStart(r *eval.Row, ref time.Time, loc *time.Location) (time.Time, bool) {
	cfg := &dps.Configuration{
		Languages:           []string{"en"},
		CurrentTime:         ref,
		DefaultTimezone:     loc,
		PreferredDateSource: dps.Future,
	}
	if r.Lang == "ms" {
		cfg.Languages = []string{"ms", "en"}
	}
	order := "DMY"
	if r.DateOrder == "MDY" {
		order = "MDY"
	}
	cfg.DateOrder = func(string) string { return order }
	if d, err := dps.Parse(cfg, r.Text); err == nil && !d.IsZero() {
		return d.Time, true
	}
	if _, hits, err := dps.Search(cfg, r.Text); err == nil {
		for _, h := range hits {
			if !h.Date.IsZero() {
				return h.Date.Time, true
			}
		}
	}
	return time.Time{}, false
}
