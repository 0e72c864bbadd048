//go:build race

package queries

// raceEnabled: the race detector is on, and sync.Pool drops items at
// random, so allocation counts of pooled paths are not meaningful.
const raceEnabled = true
