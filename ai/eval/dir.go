package eval

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoData says the development sets were not found.
var ErrNoData = errors.New("development data not found")

// FindDir locates the development sets: $EVAL_DIR when set (it must hold
// .jsonl files), else shared/eval beside the repository (../shared/eval from
// the directory holding go.mod, found from the working directory upwards).
// It wraps ErrNoData, with a message that says where the data must be.
func FindDir() (string, error) {
	if dir := os.Getenv("EVAL_DIR"); dir != "" {
		if err := hasData(dir); err != nil {
			return "", fmt.Errorf("EVAL_DIR=%s: %w", dir, err)
		}
		return dir, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", fmt.Errorf("%w: %v; set EVAL_DIR to the folder of the .jsonl files", ErrNoData, err)
	}
	dir := filepath.Join(filepath.Dir(root), "shared", "eval")
	if err := hasData(dir); err != nil {
		return "", fmt.Errorf("%w (the shared/eval folder beside the repository); "+
			"copy the development sets there or set EVAL_DIR to their folder", err)
	}
	return dir, nil
}

// Files lists the .jsonl files of dir, sorted.
func Files(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no .jsonl files in %s", ErrNoData, dir)
	}
	return files, nil
}

func hasData(dir string) error {
	_, err := Files(dir)
	return err
}

// repoRoot is the nearest directory upwards from the working directory
// that holds go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
