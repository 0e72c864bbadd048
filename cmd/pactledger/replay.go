package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// runReplay: pactledger replay [--to-position N | --to-time T] [store flags].
func runReplay(args []string, stdout, stderr io.Writer) int {
	var toPosition uint64
	var toTime string
	return toolRun("replay", args, stderr, func(fs *flag.FlagSet) {
		fs.Uint64Var(&toPosition, "to-position", 0, "stop after this log position (default: the head)")
		fs.StringVar(&toTime, "to-time", "", "stop after the last event recorded at or before this RFC 3339 time")
	}, func(ctx context.Context, _ serveConfig, store events.Store) error {
		var until time.Time
		if toTime != "" {
			t, err := time.Parse(time.RFC3339Nano, toTime)
			if err != nil {
				return fmt.Errorf("--to-time must be an RFC 3339 time such as 2026-11-27T14:00:00Z: %w", err)
			}
			until = t
		}
		if toPosition != 0 && !until.IsZero() {
			return errors.New("give --to-position or --to-time, not both")
		}
		var progress func(done, total uint64)
		if isTerminal(stderr) {
			progress = progressBar(stderr)
		}
		rep, err := replay(ctx, events.NewLog(store, events.NewDefaultRegistry()), toPosition, until, progress)
		if err != nil {
			return err
		}
		rep.print(stdout)
		return nil
	})
}

// replayReport is what a replay found.
type replayReport struct {
	Position     uint64 // the last position applied
	Events       int
	PerType      map[string]int
	Streams      int
	Environments int
	Pacticipants int
	Integrations int
	Webhooks     int
	Duration     time.Duration
}

// replay rebuilds every read model from the log into fresh models, up to
// toPosition (0: the head when it starts) and, when until is set, only the
// events recorded at or before it. progress, when set, is told how far it
// got, now and then.
func replay(ctx context.Context, log *events.Log, toPosition uint64, until time.Time, progress func(done, total uint64)) (replayReport, error) {
	started := time.Now()
	head, err := log.Head(ctx)
	if err != nil {
		return replayReport{}, err
	}
	if toPosition == 0 || toPosition > head {
		toPosition = head
	}
	catalog, deployments, contracts := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()
	models := []projections.Projector{catalog, deployments, contracts, projections.NewWebhooks(), projections.NewHistory()}
	rep := replayReport{PerType: map[string]int{}}
	streams := map[string]struct{}{}
	lastReport := time.Now()
	if toPosition > 0 {
		err = log.SubscribeAll(ctx, 0, func(e events.Envelope) error {
			if e.Position > toPosition || (!until.IsZero() && e.OccurredAt.After(until)) {
				return errReachedHead
			}
			for _, m := range models {
				m.Apply(e)
			}
			rep.Position = e.Position
			rep.Events++
			rep.PerType[e.Type]++
			streams[e.Stream] = struct{}{}
			if progress != nil && time.Since(lastReport) > 100*time.Millisecond {
				progress(e.Position, toPosition)
				lastReport = time.Now()
			}
			if e.Position == toPosition {
				return errReachedHead
			}
			return nil
		})
		if !errors.Is(err, errReachedHead) {
			return replayReport{}, fmt.Errorf("replay: %w", err)
		}
	}
	if progress != nil {
		progress(rep.Position, toPosition)
		progress(0, 0) // done: end the line
	}
	rep.Duration = time.Since(started)
	rep.Streams = len(streams)
	rep.Environments = len(catalog.Environments())
	rep.Pacticipants = len(catalog.Pacticipants())
	rep.Integrations = len(contracts.Integrations())
	rep.Webhooks = len(models[3].(*projections.Webhooks).All())
	return rep, nil
}

func (r replayReport) print(w io.Writer) {
	rate := 0.0
	if s := r.Duration.Seconds(); s > 0 {
		rate = float64(r.Events) / s
	}
	fmt.Fprintf(w, "replayed %d events up to position %d in %s (%.0f events/s)\n", r.Events, r.Position, r.Duration.Round(time.Millisecond), rate)
	fmt.Fprintf(w, "streams: %d\n", r.Streams)
	fmt.Fprintf(w, "read models: %d environments, %d applications, %d integrations, %d webhooks\n",
		r.Environments, r.Pacticipants, r.Integrations, r.Webhooks)
	fmt.Fprintln(w, "events per type:")
	for _, t := range slices.Sorted(maps.Keys(r.PerType)) {
		fmt.Fprintf(w, "  %-26s %d\n", t, r.PerType[t])
	}
}

// progressBar draws "[#####-----]  50% 1234/2468" on one terminal line;
// (0, 0) ends the line.
func progressBar(w io.Writer) func(done, total uint64) {
	return func(done, total uint64) {
		if total == 0 {
			fmt.Fprintln(w)
			return
		}
		const width = 40
		filled := int(done * width / total)
		fmt.Fprintf(w, "\r[%s%s] %3d%% %d/%d events", strings.Repeat("#", filled), strings.Repeat("-", width-filled),
			done*100/total, done, total)
	}
}
