package persistence_test

import (
	"log/slog"
	"os"
	"testing"
)

// Migration progress is logged at info level; keep test and benchmark output
// to what they report.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}
