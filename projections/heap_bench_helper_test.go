package projections_test

import (
	"runtime"
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// benchHeapPerVersion encodes log, then in each op decodes it afresh (so
// that strings and JSON are made as the store makes them) and applies it to
// a new projector from fresh. After the ops it reports the live heap the
// last projector keeps per application version and the objects a
// collection marks per version. versions 0 counts the log's VersionCreated.
func benchHeapPerVersion(b *testing.B, log []events.Envelope, versions int, fresh func() projections.Projector) {
	reg := events.NewDefaultRegistry()
	type rec struct {
		env  events.Envelope
		data []byte
	}
	recs := make([]rec, len(log))
	count := versions == 0
	for i, e := range log {
		data, err := reg.Encode(e.Data)
		if err != nil {
			b.Fatal(err)
		}
		e.Data, recs[i] = nil, rec{e, data}
		if count && e.Type == (events.VersionCreated{}).EventType() {
			versions++
		}
	}
	var with, without runtime.MemStats
	var kept projections.Projector
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		kept = fresh()
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
