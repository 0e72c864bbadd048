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
	recs, created := encodeForBench(b, reg, log)
	if versions == 0 {
		versions = created
	}
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
	reportHeapPerVersion(b, versions, func() { kept = nil })
}

// encodedRec is one event of a bench log: its envelope without its payload,
// and the payload as the store holds it.
type encodedRec struct {
	env  events.Envelope
	data []byte
}

// encodeForBench encodes log with reg, and counts its VersionCreated events.
func encodeForBench(b *testing.B, reg *events.Registry, log []events.Envelope) (recs []encodedRec, versions int) {
	recs = make([]encodedRec, len(log))
	for i, e := range log {
		data, err := reg.Encode(e.Data)
		if err != nil {
			b.Fatal(err)
		}
		e.Data, recs[i] = nil, encodedRec{e, data}
		if e.Type == (events.VersionCreated{}).EventType() {
			versions++
		}
	}
	return recs, versions
}

// reportHeapPerVersion reports the live heap bytes and objects that
// release frees (by dropping the caller's last reference to what it
// built), per application version, each measured after a collection.
func reportHeapPerVersion(b *testing.B, versions int, release func()) {
	var with, without runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&with)
	release()
	runtime.GC()
	runtime.ReadMemStats(&without)
	b.ReportMetric(float64(with.HeapAlloc-without.HeapAlloc)/float64(versions), "heap-B/version")
	b.ReportMetric(float64(with.HeapObjects-without.HeapObjects)/float64(versions), "objects/version")
}
