package sim

import (
	"context"
	"io"
	"log/slog"
	"testing"
)

func TestServeStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, "127.0.0.1:0", Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	}()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve = %v", err)
	}
}

func TestServeBadAddress(t *testing.T) {
	if err := Serve(context.Background(), "256.0.0.1:bad", Options{}); err == nil {
		t.Fatal("Serve on a bad address succeeded")
	}
}
