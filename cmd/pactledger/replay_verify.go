package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
)

// verifySnapshot is `replay --verify`: it rebuilds every read model from the
// whole log up to the position of the snapshot the server saved in dir, and
// compares a digest per read model with the snapshot's. The snapshot holds
// the read models the server built from an earlier snapshot plus the events
// after it, so equal digests show that snapshot plus tail equals a full
// replay. A read model that differs, or is in one set and not the other,
// is an error.
func verifySnapshot(ctx context.Context, w io.Writer, log *events.Log, dir, webhookBaseURL string,
	progress func(done, total uint64)) error {
	if dir == "" {
		return errors.New("--verify compares with the read-model snapshot, and snapshots are off (--snapshots=false or --store memory)")
	}
	position, saved, err := app.SnapshotDigests(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no read-model snapshot in %s to verify against: a server saves one every --snapshot-every events and when it stops", dir)
	}
	if err != nil {
		return err
	}
	rep, models, err := replay(ctx, log, webhookBaseURL, position, time.Time{}, progress)
	if err != nil {
		return err
	}
	if rep.Position != position {
		return fmt.Errorf("the snapshot is at position %d but the log ends at %d: it belongs to another log", position, rep.Position)
	}
	rebuilt := models.Digests()
	for name := range saved {
		if _, isModel := rebuilt[name]; !isModel && !app.IsReadModel(name) {
			delete(saved, name) // a projector without read-model state (the comparison pool)
		}
	}
	fmt.Fprintf(w, "verified %d read models at position %d (%d events replayed in %s)\n", len(rebuilt), position, rep.Events, rep.Duration)
	var differ []string
	for _, name := range slices.Sorted(maps.Keys(mergeKeys(saved, rebuilt))) {
		verdict := "equal"
		switch {
		case saved[name] == "":
			verdict = "missing from the snapshot"
		case rebuilt[name] == "":
			verdict = "missing from the rebuild"
		case saved[name] != rebuilt[name]:
			verdict = "DIFFERENT"
		}
		if verdict != "equal" {
			differ = append(differ, name)
		}
		fmt.Fprintf(w, "  %-20s %-12.12s %-12.12s %s\n", name, saved[name], rebuilt[name], verdict)
	}
	if len(differ) > 0 {
		return fmt.Errorf("read models differ from a full rebuild: %v", differ)
	}
	return nil
}

func mergeKeys(a, b map[string]string) map[string]string {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}
