//go:build !race

package projections_test

// raceEnabled: see race_on_test.go.
const raceEnabled = false
