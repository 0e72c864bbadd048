package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// SnapshotOptions control read-model snapshots: the read models saved to a
// file with the log position they reached, so that a start loads them and
// replays only the log's tail instead of all of it.
type SnapshotOptions struct {
	// Dir holds the snapshot file; "" disables snapshots.
	Dir string
	// Every saves a snapshot once the read models have applied this many
	// events since the last one; 0 disables the count.
	Every uint64
	// Interval saves a snapshot when this long has passed since the last
	// one and events have been applied since; 0 disables the timer.
	Interval time.Duration
}

// Snapshots are also saved when the App closes, if events were applied since
// the last one. No snapshot is saved while a start rebuilds the read models
// from the log (only once it has caught up), so a rebuild does not save one
// every Every events.

// snapshots is the App's snapshot state.
type snapshots struct {
	opts   SnapshotOptions
	logger *slog.Logger

	mu      sync.Mutex // one save at a time
	savedAt uint64     // position of the newest snapshot on disk (or loaded)
	savedOn time.Time
}

// models lists the read models a snapshot holds: every projector of the
// runner, in its order. If one of them cannot be snapshotted, it returns
// false, and snapshots are off: a snapshot without it would make the runner
// skip, for that model, every event before the snapshot's position.
func (a *App) models() ([]projections.Snapshotter, bool) {
	var out []projections.Snapshotter
	for _, p := range a.Runner.Projectors() {
		m, ok := p.(projections.Snapshotter)
		if !ok {
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

// restoreSnapshot loads the snapshot into the runner's read models when
// there is a usable one, and returns where the runner must start. A
// snapshot that is unreadable, of another format, of another set of read
// models, or not a prefix of this store's log (its last event is not at its
// position) is ignored with a warning: the read models are then rebuilt
// from the start of the log.
func (a *App) restoreSnapshot(store events.Store) (position uint64, lastEvent uuid.UUID) {
	s := a.snap
	if s.opts.Dir == "" {
		return 0, uuid.Nil
	}
	models, ok := a.models()
	if !ok {
		s.logger.Warn("a read model cannot be snapshotted; read-model snapshots are off", "dir", s.opts.Dir)
		s.opts = SnapshotOptions{}
		return 0, uuid.Nil
	}
	started := time.Now()
	snap, err := readSnapshotFile(s.opts.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		s.logger.Info("no read-model snapshot; rebuilding from the log", "dir", s.opts.Dir)
		return 0, uuid.Nil
	}
	if err == nil {
		err = checkAnchor(store, snap.position, snap.lastEvent)
	}
	if err == nil {
		err = restoreModels(models, snap.models)
	}
	if err != nil {
		s.logger.Warn("read-model snapshot ignored; rebuilding from the log", "dir", s.opts.Dir, "error", err)
		return 0, uuid.Nil
	}
	s.savedAt, s.savedOn = snap.position, time.Now()
	s.logger.Info("read-model snapshot loaded", "position", snap.position, "duration", time.Since(started))
	return snap.position, snap.lastEvent
}

// restoreModels restores each model from the encoding of the same name;
// every model must have one. On failure every model is as it was (empty,
// at start-up).
//
// The models are restored concurrently, one goroutine each, so that the
// smaller ones load while the largest (contracts) does. Hazard: this relies
// on RestoreSnapshot of two different models sharing no mutable state (each
// decodes into its own fresh state and interner); a shared interner or
// cache between models would have to be locked or restored first.
func restoreModels(models []projections.Snapshotter, saved []namedModel) error {
	if len(saved) != len(models) {
		return fmt.Errorf("%w: %d read models, want %d", errSnapshotUnreadable, len(saved), len(models))
	}
	before := make([][]byte, len(models))
	for i, m := range models {
		if saved[i].name != m.Name() {
			return fmt.Errorf("%w: read model %q, want %q", errSnapshotUnreadable, saved[i].name, m.Name())
		}
		before[i] = m.AppendSnapshot(nil)
	}
	errs := make([]error, len(models))
	var wg sync.WaitGroup
	for i, m := range models {
		wg.Go(func() { errs[i] = m.RestoreSnapshot(saved[i].data) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for i, m := range models { // put back the ones restored
			if errs[i] == nil {
				_ = m.RestoreSnapshot(before[i])
			}
		}
		return err
	}
	return nil
}

// errAnchorSeen stops the anchor subscription after its first record.
var errAnchorSeen = errors.New("anchor seen")

// checkAnchor makes sure the store's log holds the snapshot's last event at
// the snapshot's position; otherwise the snapshot belongs to another log
// (a data directory replaced, a store emptied).
func checkAnchor(store events.Store, position uint64, lastEvent uuid.UUID) error {
	if position == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	head, err := store.Head(ctx)
	if err != nil {
		return fmt.Errorf("check snapshot against the log: %w", err)
	}
	if head < position {
		return fmt.Errorf("%w: the snapshot is at position %d, the log ends at %d", errSnapshotUnreadable, position, head)
	}
	var id uuid.UUID
	err = store.SubscribeAll(ctx, position-1, func(r events.Record) error {
		if r.Position == position {
			id = r.ID
		}
		return errAnchorSeen
	})
	if !errors.Is(err, errAnchorSeen) {
		return fmt.Errorf("check snapshot against the log: %w", err)
	}
	if id != lastEvent {
		return fmt.Errorf("%w: the event at position %d is %s, the snapshot's is %s", errSnapshotUnreadable, position, id, lastEvent)
	}
	return nil
}

// snapshotLoop saves snapshots as SnapshotOptions say until ctx ends. It
// starts once the read models have caught up with the log as it was.
func (a *App) snapshotLoop(ctx context.Context) {
	s := a.snap
	if s.opts.Dir == "" || s.opts.Every == 0 && s.opts.Interval == 0 {
		return
	}
	if err := a.Runner.CatchUp(ctx); err != nil {
		return
	}
	tick := time.NewTicker(snapshotCheckEvery)
	defer tick.Stop()
	for {
		if a.snapshotDue() {
			if err := a.SaveSnapshot(); err != nil {
				s.logger.Warn("read-model snapshot not saved", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// snapshotCheckEvery is how often the loop looks whether a snapshot is due.
const snapshotCheckEvery = time.Second

func (a *App) snapshotDue() bool {
	s := a.snap
	s.mu.Lock()
	defer s.mu.Unlock()
	pos := a.Runner.Position()
	return pos > s.savedAt && (s.opts.Every > 0 && pos-s.savedAt >= s.opts.Every ||
		s.opts.Interval > 0 && time.Since(s.savedOn) >= s.opts.Interval)
}

// SaveSnapshot saves the read models as they are now, with their position,
// unless the newest snapshot is at that position already or snapshots are
// disabled. The runner pauses while the models are encoded (not while the
// file is written).
func (a *App) SaveSnapshot() error {
	s := a.snap
	if s.opts.Dir == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	models, ok := a.models()
	if !ok {
		return nil
	}
	var snap snapshot
	a.Runner.Pause(func(position uint64, lastEvent uuid.UUID) {
		if position <= s.savedAt {
			return
		}
		snap = snapshot{position: position, lastEvent: lastEvent}
		for _, m := range models {
			snap.models = append(snap.models, namedModel{name: m.Name(), data: m.AppendSnapshot(nil)})
		}
	})
	if snap.position == 0 {
		return nil
	}
	started := time.Now()
	data := snap.encode()
	if err := writeSnapshotFile(s.opts.Dir, data); err != nil {
		return fmt.Errorf("app: save read-model snapshot: %w", err)
	}
	s.savedAt, s.savedOn = snap.position, time.Now()
	s.logger.Info("read-model snapshot saved", "position", snap.position, "bytes", len(data), "write", time.Since(started))
	return nil
}
