//go:build race

package sim

// raceEnabled: the race detector inflates stacks and heap, so memory figures
// are not asserted under it.
const raceEnabled = true
