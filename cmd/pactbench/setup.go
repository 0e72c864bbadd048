package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
)

// dataset describes the generated data set and keeps what the
// measurements need to draw realistic requests.
type dataset struct {
	Events, Versions, Commands, Verifications int64
	ContentBytes                              uint64 // distinct pact content, as stored
	Integrations                              int
	ProviderVersions                          int64         // versions of applications that have consumers
	Generate, Copy                            time.Duration // Copy: the tail after generation ended
	Numbers                                   [][]string    // per application, version numbers by round
	OnMain                                    [][]bool      // per application, by round
	EnvUUID                                   map[string]string
}

// setup generates the organisation through the command layer and leaves it
// in a JetStream data directory.
//
// The commands run on an application over an in-memory store (app.Start,
// so commands read their streams, decide, append and wait for the read
// models exactly as in the server; the store is genStore, a compact
// memstore); a copier follows that log and appends
// every record, in log order and with its id, timestamp, metadata and
// stream version (OCC Exact), to an embedded JetStream store opened with
// SyncAlways off. The JetStream log is therefore the same log, position for
// position. Generating straight on JetStream gives the same log too but
// costs an ordered consumer per stream read (several per command): 20×
// slower, measured at 20 pacticipants × 30 versions. Both are setup, not
// measurement.
//
// Hazard: the in-memory log holds every event until setup returns (about
// 100 bytes an event besides its payload), and the generator's read models
// are as large as the server's; at large scale that is 5-6 GB, so setup
// sets a soft memory limit (debug.SetMemoryLimit) while it runs. The caller
// should collect garbage before measuring memory.
func setup(ctx context.Context, o *Org, dataDir string, workers int, memLimit int64, prof profiler, logw io.Writer) (*dataset, error) {
	st := &dataset{Versions: int64(o.Scale.Apps * o.Scale.Versions), Integrations: o.Integrations()}
	if memLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(memLimit))
	}
	js, err := jetstream.Open(ctx, jetstream.Config{DataDir: dataDir, SyncAlways: false})
	if err != nil {
		return st, fmt.Errorf("open jetstream: %w", err)
	}
	defer js.Close()
	if head, err := js.Head(ctx); err != nil || head > 0 {
		return st, errors.Join(err, fmt.Errorf("data dir %s already holds %d events; pick an empty one", dataDir, head))
	}
	mem := newGenStore()
	a := app.Start(mem, app.Options{})
	defer a.Close()

	cctx, stopCopy := context.WithCancel(ctx)
	defer stopCopy()
	var copied atomic.Uint64
	copyErr := make(chan error, 1)
	go func() {
		copyErr <- mem.SubscribeAll(cctx, 0, func(r events.Record) error {
			if _, err := js.Append(cctx, r.Stream, events.Exact(r.StreamVersion-1), r); err != nil {
				return fmt.Errorf("copy position %d: %w", r.Position, err)
			}
			copied.Store(r.Position)
			return nil
		})
	}()

	g := newGenerator(o, a.Commands, workers)
	start, last := time.Now(), time.Now()
	err = g.run(ctx, func(round int) {
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			head, _ := mem.Head(ctx)
			fmt.Fprintf(logw, "  generate: round %d/%d, %d events, %d copied, %s\n",
				round+1, o.Scale.Versions, head, copied.Load(), time.Since(start).Round(time.Second))
		}
	})
	st.Generate, st.Commands, st.Verifications, st.EnvUUID = time.Since(start), g.ops.Load(), g.checks.Load(), g.envUUID
	st.ContentBytes = uint64(g.content.Load())
	for i, s := range g.state {
		st.Numbers, st.OnMain = append(st.Numbers, s.versions), append(st.OnMain, s.onMain)
		if len(o.Apps[i].Consumers) > 0 {
			st.ProviderVersions += int64(len(s.versions))
		}
	}
	if err != nil {
		return st, fmt.Errorf("generate: %w", err)
	}
	head, err := mem.Head(ctx)
	if err != nil {
		return st, err
	}
	if err := prof.heap("generate"); err != nil {
		return st, err
	}
	st.Events = int64(head)
	start = time.Now()
	for copied.Load() < head {
		select {
		case err := <-copyErr:
			return st, fmt.Errorf("copy: %w", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			fmt.Fprintf(logw, "  copy: %d/%d events\n", copied.Load(), head)
		}
	}
	stopCopy()
	<-copyErr
	st.Copy = time.Since(start)
	if jsHead, err := js.Head(ctx); err != nil || jsHead != head {
		return st, errors.Join(err, fmt.Errorf("copy: jetstream holds %d events, the generated log %d", jsHead, head))
	}
	return st, nil
}
