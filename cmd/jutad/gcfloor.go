package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"time"
)

// Go collects garbage each time the heap grows by its live part (GOGC=100).
// A node with few users has a live heap of a few MiB, so under load it
// collects dozens of times a second, and each collection's background
// workers take CPU the database and the clients share on a small machine.
// The GC floor lets the heap grow to JUTA_GC_MIN_HEAP_MB before collecting:
// while the live heap is small, GOGC is raised so that the next collection
// comes at the floor; once the live heap is half the floor or more, GOGC is
// Go's default again, so a large node uses no more memory than without it.
// Setting GOGC in the environment turns the floor off.

const (
	gcFloorEvery  = time.Second
	maxGCPercent  = 10_000
	baseGCPercent = 100
)

// startGCFloor adjusts GOGC every second until ctx ends; floor 0 is off.
func startGCFloor(ctx context.Context, floor uint64, gogcSet bool, log *slog.Logger) {
	if floor == 0 || gogcSet {
		return
	}
	live := []rtmetrics.Sample{{Name: "/gc/heap/live:bytes"}}
	apply := func(current int) int {
		rtmetrics.Read(live)
		want := gcPercentFor(live[0].Value.Uint64(), floor)
		if want != current {
			debug.SetGCPercent(want)
		}
		return want
	}
	current := apply(baseGCPercent)
	log.Debug("gc floor", "floor_bytes", floor, "gc_percent", current)
	go func() {
		t := time.NewTicker(gcFloorEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				current = apply(current)
			}
		}
	}()
}

// gcPercentFor is the GOGC that puts the next collection of a heap with
// live bytes in use at floor, rounded down to a multiple of 100 so that
// small changes of the live heap do not retune it; never below Go's default.
func gcPercentFor(live, floor uint64) int {
	const minLive = 1 << 20 // before the first collection the live figure is 0
	live = max(live, minLive)
	if 2*live >= floor {
		return baseGCPercent
	}
	pct := (floor - live) * 100 / live
	pct = pct / 100 * 100
	return int(min(max(pct, baseGCPercent), maxGCPercent))
}
