package eval

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindDirFollowsEvalDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("EVAL_DIR", dir)
	if _, err := FindDir(); !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "EVAL_DIR="+dir) {
		t.Fatalf("empty EVAL_DIR: err = %v, want ErrNoData naming EVAL_DIR", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := FindDir()
	if err != nil || got != dir {
		t.Fatalf("FindDir = %q, %v; want %q", got, err, dir)
	}
	files, err := Files(got)
	if err != nil || len(files) != 1 {
		t.Fatalf("Files = %v, %v", files, err)
	}
}

func TestFindDirLooksBesideTheRepository(t *testing.T) {
	t.Setenv("EVAL_DIR", "")
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(filepath.Dir(root), "shared", "eval")
	got, err := FindDir()
	if err != nil {
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "EVAL_DIR") {
			t.Fatalf("err = %v, want it to name %s and EVAL_DIR", err, want)
		}
		return
	}
	if got != want {
		t.Fatalf("FindDir = %q, want %q", got, want)
	}
}
