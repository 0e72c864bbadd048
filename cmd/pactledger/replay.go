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
	"github.com/pactledger/pactledger/infra/app"
)

// runReplay: pactledger replay [--to-position N | --to-time T] [--verify]
// [store flags].
func runReplay(args []string, stdout, stderr io.Writer) int {
	var toPosition uint64
	var toTime string
	var verify bool
	return toolRun("replay", args, stderr, func(fs *flag.FlagSet) {
		fs.Uint64Var(&toPosition, "to-position", 0, "stop after this log position (default: the head)")
		fs.StringVar(&toTime, "to-time", "", "stop after the last event recorded at or before this RFC 3339 time")
		fs.BoolVar(&verify, "verify", false, "check that a full rebuild equals the read models of the server's snapshot (a digest per read model), up to the snapshot's position")
	}, func(ctx context.Context, cfg serveConfig, store events.Store) error {
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
		log := events.NewLog(store, events.NewDefaultRegistry())
		baseURL := cfg.streamingOptions().WebhookBaseURL
		if baseURL == "" {
			baseURL = cfg.BaseURL
		}
		if verify {
			if toPosition != 0 || !until.IsZero() {
				return errors.New("--verify rebuilds up to the snapshot's position; leave out --to-position and --to-time")
			}
			return verifySnapshot(ctx, stdout, log, cfg.snapshotOptions().Dir, baseURL, progress)
		}
		rep, _, err := replay(ctx, log, baseURL, toPosition, until, progress)
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

// replay rebuilds every read model from the log into fresh models
// (app.RebuildReadModels), up to toPosition (0: the head when it starts)
// and, when until is set, only the events recorded at or before it.
// progress, when set, is told how far it got, now and then.
func replay(ctx context.Context, log *events.Log, webhookBaseURL string, toPosition uint64, until time.Time,
	progress func(done, total uint64)) (replayReport, app.ReadModels, error) {
	started := time.Now()
	rep := replayReport{PerType: map[string]int{}}
	streams := map[string]struct{}{}
	lastReport := time.Now()
	models, last, err := app.RebuildReadModels(ctx, log, webhookBaseURL, toPosition, until, func(e events.Envelope, total uint64) {
		rep.Events++
		rep.PerType[e.Type]++
		streams[e.Stream] = struct{}{}
		if progress != nil && time.Since(lastReport) > 100*time.Millisecond {
			progress(e.Position, total)
			lastReport = time.Now()
		}
	})
	if err != nil {
		return replayReport{}, models, fmt.Errorf("replay: %w", err)
	}
	if progress != nil {
		progress(last, max(last, 1))
		progress(0, 0) // done: end the line
	}
	rep.Position = last
	rep.Duration = time.Since(started)
	rep.Streams = len(streams)
	rep.Environments = len(models.Catalog.Environments())
	rep.Pacticipants = len(models.Catalog.Pacticipants())
	rep.Integrations = len(models.Contracts.Integrations())
	rep.Webhooks = len(models.Webhooks.All())
	return rep, models, nil
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
