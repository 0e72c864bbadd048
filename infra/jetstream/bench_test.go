package jetstream_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/storetest"
)

// BenchmarkAppendOCCSyncAlways measures single-event appends with exact
// expected versions over 100 streams on the embedded server with SyncAlways:
// one leader read, one publish and one fsync per append.
func BenchmarkAppendOCCSyncAlways(b *testing.B) {
	s := openEmbedded(b, b.TempDir())
	ctx := context.Background()
	const streams = 100
	var versions [streams]uint64
	recs := make([]events.Record, b.N)
	for i := range recs {
		recs[i] = storetest.Rec("Bench", fmt.Sprintf(`{"i":%d,"pad":"%0100d"}`, i, i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		k := i % streams
		if _, err := s.Append(ctx, fmt.Sprintf("bench-%d", k), events.Exact(versions[k]), recs[i]); err != nil {
			b.Fatal(err)
		}
		versions[k]++
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "appends/s")
}

// BenchmarkReplay measures full SubscribeAll replays of a log of 50,000
// small events. An op is one replayed event, but only whole replays run:
// ceil(b.N/50,000) of them, at least one, so -benchtime=3000x still times a
// complete replay. ns/op and events/s are computed from what was replayed;
// cpu-ns/op is the CPU time of the whole process (the embedded server's
// included) per event, which other load on the machine disturbs less.
func BenchmarkReplay(b *testing.B) {
	const total, perBatch = 50_000, 1000
	s := openEmbedded(b, b.TempDir())
	ctx := context.Background()
	for i := range total / perBatch {
		recs := make([]events.Record, perBatch)
		for j := range recs {
			recs[j] = storetest.Rec("Replay", fmt.Sprintf(`{"i":%d,"j":%d,"pad":"%0100d"}`, i, j, j))
		}
		if _, err := s.Append(ctx, fmt.Sprintf("replay-%d", i), events.NoStream, recs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start, cpu := time.Now(), jetstream.ProcessCPU()
	passes := (b.N + total - 1) / total
	for range passes {
		sctx, cancel := context.WithCancel(ctx)
		n := 0
		err := s.SubscribeAll(sctx, 0, func(r events.Record) error {
			if n++; n == total {
				cancel()
			}
			return nil
		})
		cancel()
		if n != total {
			b.Fatalf("replayed %d of %d: %v", n, total, err)
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(passes*total), "ns/op")
	b.ReportMetric(float64((jetstream.ProcessCPU()-cpu).Nanoseconds())/float64(passes*total), "cpu-ns/op")
	b.ReportMetric(float64(passes*total)/elapsed.Seconds(), "events/s")
}

// BenchmarkReadStream reads one stream of 20 events whose events are spread
// over a log of 20,000 (one in a thousand), as a deployment stream's are:
// an op is one whole ReadStream.
func BenchmarkReadStream(b *testing.B) {
	const spread, length = 1000, 20
	s := openEmbedded(b, b.TempDir())
	ctx := context.Background()
	for v := range length {
		recs := make([]events.Record, spread-1)
		for j := range recs {
			recs[j] = storetest.Rec("Filler", fmt.Sprintf(`{"j":%d,"pad":"%0100d"}`, j, j))
		}
		if _, err := s.Append(ctx, fmt.Sprintf("filler-%d", v), events.NoStream, recs...); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Append(ctx, "target", events.Exact(uint64(v)), storetest.Rec("Target", `{"v":1}`)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		recs, err := s.ReadStream(ctx, "target")
		if err != nil || len(recs) != length {
			b.Fatalf("read %d records: %v", len(recs), err)
		}
	}
}

// BenchmarkAppendBatchOfTwo measures two-event atomic appends (a deployment
// and the undeployment it causes) with exact expected versions over 100
// streams, SyncAlways: an op is one append.
func BenchmarkAppendBatchOfTwo(b *testing.B) {
	s := openEmbedded(b, b.TempDir())
	ctx := context.Background()
	const streams = 100
	var versions [streams]uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % streams
		recs := []events.Record{storetest.Rec("Bench", `{"a":1}`), storetest.Rec("Bench", `{"b":2}`)}
		if _, err := s.Append(ctx, fmt.Sprintf("bench-%d", k), events.Exact(versions[k]), recs...); err != nil {
			b.Fatal(err)
		}
		versions[k] += 2
	}
}
