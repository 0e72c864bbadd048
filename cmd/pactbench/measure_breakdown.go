package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pactledger/pactledger/events"
)

// breakdownEnv, when "1" in a full-replay load child, makes it first read
// the whole log twice more and report where the replay's time goes (see
// replayBreakdown). It is off by default: it adds two reads of the log.
//
// Run one load child by hand for a quick figure:
//
//	PACTBENCH_LOAD_DIR=DIR PACTBENCH_FROM_SNAPSHOT=false PACTBENCH_BREAKDOWN=1 pactbench
const breakdownEnv = "PACTBENCH_BREAKDOWN"

// breakdownLine writes one figure of the breakdown: events/s of wall time,
// and the CPU time of the whole process (the embedded server's included)
// per event, which other processes on the machine disturb less.
func breakdownLine(w io.Writer, name string, n uint64, wall, cpu time.Duration) {
	fmt.Fprintf(w, "  breakdown %-22s %8.0f events/s  %5.2f µs CPU/event  (%d events in %.2f s)\n",
		name, float64(n)/wall.Seconds(), float64(cpu.Microseconds())/float64(n), n, wall.Seconds())
}

// errBreakdownDone ends a breakdown subscription at the head.
var errBreakdownDone = errors.New("breakdown: head reached")

// replayBreakdown reads the whole log of store twice and writes to w the
// events/s and the CPU time per event of (a) raw delivery to SubscribeAll
// (the store's records, their payloads not decoded) and (b) the same plus
// decoding every payload into an Envelope (events.Log with the default
// registry), each on the subscription's goroutine. The replay figure itself is (c): (b) plus
// applying every read model through the Runner. On the embedded store all
// three read the log through SubscribeAll's catch-up (a pull consumer on a
// raw in-process connection, infra/jetstream/read_catchup.go) up to the
// head.
//
// With a profiler, each read is profiled as breakdown-a and breakdown-b.
func replayBreakdown(ctx context.Context, store events.Store, w io.Writer, prof profiler) error {
	head, err := store.Head(ctx)
	if err != nil || head == 0 {
		return err
	}
	log := events.NewLog(store, events.NewDefaultRegistry())
	runs := []struct {
		name, profile string
		read          func(fn func(pos uint64) error) error
	}{
		{"(a) raw delivery", "breakdown-a", func(fn func(uint64) error) error {
			return store.SubscribeAll(ctx, 0, func(r events.Record) error { return fn(r.Position) })
		}},
		{"(b) + decode", "breakdown-b", func(fn func(uint64) error) error {
			return log.SubscribeAll(ctx, 0, func(e events.Envelope) error { return fn(e.Position) })
		}},
	}
	for _, run := range runs {
		start, cpu := time.Now(), processCPU()
		var n uint64
		err := prof.cpu(run.profile, func() error {
			return run.read(func(pos uint64) error {
				n++
				if pos >= head {
					return errBreakdownDone
				}
				return nil
			})
		})
		if !errors.Is(err, errBreakdownDone) {
			return fmt.Errorf("breakdown %s: %w", run.name, err)
		}
		breakdownLine(w, run.name, n, time.Since(start), processCPU()-cpu)
	}
	return nil
}
