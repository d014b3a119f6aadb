package assistant_test

import (
	"log/slog"
	"os"
	"testing"
)

// Migrations log at info level and fallbacks at warn; keep test output to
// what the tests report.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	os.Exit(m.Run())
}
