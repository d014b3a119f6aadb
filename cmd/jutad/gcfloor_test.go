package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	"testing"
)

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	cases := []struct {
		live, floor uint64
		want        int
	}{
		{0, 64 * mib, 6300},         // nothing measured yet: as if 1 MiB
		{4 * mib, 64 * mib, 1500},   // next collection at 4 + 4*15 = 64 MiB
		{5 * mib, 64 * mib, 1100},   // 1180 rounded down: collects a little early, never late
		{20 * mib, 64 * mib, 200},   // 220 rounded down
		{32 * mib, 64 * mib, 100},   // half the floor: Go's default
		{500 * mib, 64 * mib, 100},  // a large node is untouched
		{1, 1 << 40, maxGCPercent},  // capped
		{30 * mib, 64*mib + 1, 100}, // 113, rounded down to the default
	}
	for _, c := range cases {
		if got := gcPercentFor(c.live, c.floor); got != c.want {
			t.Errorf("gcPercentFor(%d MiB, %d MiB) = %d, want %d", c.live/mib, c.floor/mib, got, c.want)
		}
	}
}

// The floor sets GOGC at once, and leaves it alone when GOGC was given.
func TestStartGCFloor(t *testing.T) {
	prev := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(prev) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	startGCFloor(ctx, 1<<40, true, slog.New(slog.DiscardHandler))
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set in the environment, yet GOGC became %d", got)
	}
	startGCFloor(ctx, 1<<40, false, slog.New(slog.DiscardHandler))
	if got := debug.SetGCPercent(100); got <= 100 {
		t.Fatalf("a 1 TiB floor left GOGC at %d", got)
	}
}
