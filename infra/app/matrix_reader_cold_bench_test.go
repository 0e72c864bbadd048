package app

import (
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/queries"
)

// flushBuf is written through between cold queries: larger than the
// per-core caches and than the TLB's reach, so that a query finds none of
// the read models in them (as a server answering many different queries
// over a large heap does).
var flushBuf = make([]byte, 64<<20)

// flushCaches evicts the read models from the caches and the TLB.
func flushCaches() {
	for i := 0; i < len(flushBuf); i += 64 {
		flushBuf[i]++
	}
}

// BenchmarkCanIDeployMediumCold is BenchmarkCanIDeployMedium with the
// caches flushed before every query: the cost of the memory a query
// touches, which sets pactbench's tail. It reports the p50 and p99 of the
// single queries (µs) as custom metrics, which leave the flush out (ns/op
// includes it: stopping the benchmark's timer would read the memory
// statistics, which empties the allocator's per-thread caches and makes
// every query's allocations cold too). Use -benchtime 2000x or more for a
// stable p99. Under valgrind --tool=cachegrind (with a small flush) it
// counts the cache misses per function.
func BenchmarkCanIDeployMediumCold(b *testing.B) {
	qs := mediumCanIDeployQueries()
	samples := make([]time.Duration, 0, b.N)
	var a queries.Answer                      // as the HTTP handler does: one Answer, used again
	var r queries.MatrixReader = mediumModels // converted once, as the handler's configuration holds it
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		flushCaches()
		start := time.Now()
		err := queries.CanIDeployInto(r, qs[i%len(qs)], &a)
		samples = append(samples, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(samples)
	at := func(q float64) float64 {
		return float64(samples[min(len(samples)-1, int(q*float64(len(samples))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(at(0.5), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}
