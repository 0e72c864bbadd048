package jetstream

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pactledger/pactledger/events"
)

// BenchmarkReplayPath compares the two halves of SubscribeAll over the same
// log of 50,000 small events: the catch-up (raw pull consumer) and the
// ordered consumer. An op is one event; see BenchmarkReplay for the
// passes. cpu-ns/op is the whole process's CPU time per event.
func BenchmarkReplayPath(b *testing.B) {
	const total, perBatch = 50_000, 1000
	s := openTest(b, b.TempDir())
	for i := range total / perBatch {
		recs := make([]events.Record, perBatch)
		for j := range recs {
			recs[j] = oddRecord(j%2, fmt.Sprintf(`{"i":%d,"j":%d,"pad":"%0100d"}`, i, j, j))
		}
		if _, err := s.Append(context.Background(), fmt.Sprintf("replay-%d", i), events.NoStream, recs...); err != nil {
			b.Fatal(err)
		}
	}
	errDone := errors.New("done")
	for name, read := range map[string]func(context.Context, func(events.Record) error) error{
		"catchup": func(ctx context.Context, fn func(events.Record) error) error {
			_, fnErr, err := s.catchUp(ctx, 0, fn)
			return errors.Join(fnErr, err)
		},
		"ordered": func(ctx context.Context, fn func(events.Record) error) error { return s.subscribeOrdered(ctx, 0, fn) },
	} {
		b.Run(name, func(b *testing.B) {
			passes := (b.N + total - 1) / total
			cpu := ProcessCPU()
			for range passes {
				n := 0
				err := read(context.Background(), func(events.Record) error {
					if n++; n == total {
						return errDone
					}
					return nil
				})
				if !errors.Is(err, errDone) {
					b.Fatalf("read %d of %d: %v", n, total, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(passes*total), "ns/op")
			b.ReportMetric(float64((ProcessCPU()-cpu).Nanoseconds())/float64(passes*total), "cpu-ns/op")
		})
	}
}
