package projections_test

import (
	"testing"

	"github.com/pactledger/pactledger/projections"
)

// BenchmarkSnapshotHistory encodes and restores the history index of
// benchLog (about 95,000 events, a second apart): an op is one encoding
// plus one restore. It reports the encoding's size per event, about the
// index's own size in memory (it writes the compact sequences as held).
//
//	go test -run '^$' -bench SnapshotHistory -benchtime 20x ./projections/
func BenchmarkSnapshotHistory(b *testing.B) {
	h := projections.NewHistory()
	for _, e := range benchLog {
		h.Apply(e)
	}
	restored := projections.NewHistory()
	b.ResetTimer()
	for range b.N {
		if err := restored.RestoreSnapshot(h.AppendSnapshot(nil)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(h.AppendSnapshot(nil)))/float64(len(benchLog)), "B/event")
	if restored.Events() != len(benchLog) || projections.ReadModelDigest(restored) != projections.ReadModelDigest(h) {
		b.Fatal("the restored index differs")
	}
}
