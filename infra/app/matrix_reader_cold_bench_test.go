package app

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pactledger/pactledger/queries"
)

// flushBuf is written through between cold queries: larger than the
// per-core caches and than the TLB's reach, so that a query finds none of
// the read models in them (as a server answering many different queries
// over a large heap does). PACTLEDGER_COLD_FLUSH_MIB sets its size: under
// cachegrind a few MiB more than the simulated last-level cache will do,
// and keeps the run short.
var flushBuf = make([]byte, flushMiB()<<20)

func flushMiB() int {
	if n, err := strconv.Atoi(os.Getenv("PACTLEDGER_COLD_FLUSH_MIB")); err == nil && n > 0 {
		return n
	}
	return 64
}

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
// stable p99. Under valgrind --tool=cachegrind it counts the cache misses
// per function: with PACTLEDGER_COLD_FLUSH_MIB=4 and --LL=2097152,16,64,
// run -benchtime 1001x and 6001x and cg_diff the two outputs (building the
// models, whose maps are seeded at random, varies by tens of thousands of
// misses between processes; the difference holds 5,000 queries), then
// take the benchmark's own line (the inlined flush) from the total.
func BenchmarkCanIDeployMediumCold(b *testing.B) {
	qs := mediumCanIDeployQueries()
	samples := make([]time.Duration, 0, b.N)
	var a queries.Answer                      // as the HTTP handler does: one Answer, used again
	var r queries.MatrixReader = mediumModels // converted once, as the handler's configuration holds it
	// Building the models leaves a collection running; finishing it here
	// keeps its marking out of the queries (and out of cachegrind's counts).
	runtime.GC()
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
