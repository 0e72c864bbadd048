//go:build !race

package queries

// raceEnabled: see race_on_test.go.
const raceEnabled = false
