package projections_test

import (
	"runtime"
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// BenchmarkContractsHeap decodes benchLog (so that strings and JSON are
// made afresh, as the store does) and applies it to a fresh Contracts read
// model, then reports the live heap it keeps per application version and
// the objects a collection marks per version. An op is the whole log.
func BenchmarkContractsHeap(b *testing.B) {
	reg := events.NewDefaultRegistry()
	type rec struct {
		env  events.Envelope
		data []byte
	}
	recs := make([]rec, len(benchLog))
	versions := 0
	for i, e := range benchLog {
		data, err := reg.Encode(e.Data)
		if err != nil {
			b.Fatal(err)
		}
		e.Data, recs[i] = nil, rec{e, data}
		if e.Type == (events.VersionCreated{}).EventType() {
			versions++
		}
	}
	var with, without runtime.MemStats
	var kept *projections.Contracts
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		kept = projections.NewContracts()
		for _, r := range recs {
			_, p, err := reg.Decode(r.env.Type, r.data)
			if err != nil {
				b.Fatal(err)
			}
			e := r.env
			e.Data = p
			kept.Apply(e)
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(kept)
	kept = nil
	runtime.GC()
	runtime.ReadMemStats(&without)
	b.ReportMetric(float64(with.HeapAlloc-without.HeapAlloc)/float64(versions), "heap-B/version")
	b.ReportMetric(float64(with.HeapObjects-without.HeapObjects)/float64(versions), "objects/version")
}
