// Package projections builds pactledger's in-memory read models from the log
// and keeps them current. The Runner applies every event, in log order, to
// each registered Projector, and tracks the position it has reached so that
// commands can wait for their own writes.
package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

// Projector is one read model. Apply must not fail on a valid event: a read
// model records what happened, it does not judge it. The Runner calls Apply
// from one goroutine, in log order, once per position (or ApplyBatch with a
// run of them, see BatchApplier).
type Projector interface {
	Name() string
	Apply(events.Envelope)
}

// Runner feeds the log to projectors.
type Runner struct {
	log        *events.Log
	projectors []Projector
	logger     *slog.Logger

	applying sync.Mutex // held while an event is applied; see Pause
	lastID   uuid.UUID  // of the event at position; guarded by applying

	mu       sync.Mutex
	position uint64
	advanced chan struct{} // closed and replaced when position reaches wanted
	// wanted is the lowest position a WaitFor waits for (0: nobody
	// waits). apply closes advanced only once position reaches it, so a
	// catch-up waiting for the head wakes once, not once per event.
	wanted uint64
}

// NewRunner returns a Runner that will apply the log to projectors.
func NewRunner(log *events.Log, logger *slog.Logger, projectors ...Projector) *Runner {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Runner{log: log, projectors: projectors, logger: logger, advanced: make(chan struct{})}
}

// Position returns the position of the last applied event.
func (r *Runner) Position() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.position
}

// Projectors returns the read models the runner feeds, in order.
func (r *Runner) Projectors() []Projector { return slices.Clone(r.projectors) }

// StartAt makes Run begin after position: the read models hold every event
// up to it already (restored from a snapshot taken there), and lastEvent is
// the id of the event at position. Call it before Run, never after.
func (r *Runner) StartAt(position uint64, lastEvent uuid.UUID) {
	r.applying.Lock()
	defer r.applying.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.position, r.lastID = position, lastEvent
}

// Pause runs fn while no event is being applied, with the position every
// read model has reached and the id of the event there (zero at position
// 0): the moment to take a consistent snapshot of all of them. Applying
// waits until fn returns, so fn should be quick.
func (r *Runner) Pause(fn func(position uint64, lastEvent uuid.UUID)) {
	r.applying.Lock()
	defer r.applying.Unlock()
	fn(r.Position(), r.lastID)
}

// Run rebuilds the read models from the start of the log, then follows its
// tail until ctx ends. When the subscription fails (the store connection
// dropped, say) it logs, backs off and subscribes again from the last applied
// position, so no event is applied twice or skipped. It returns ctx.Err().
func (r *Runner) Run(ctx context.Context) error {
	backoff := 50 * time.Millisecond
	for {
		err := r.follow(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.logger.WarnContext(ctx, "projection subscription ended; resubscribing",
			"position", r.Position(), "error", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// follow subscribes after the applied position and applies what arrives
// until the subscription ends. Decoding runs on the subscription's
// goroutine and applying on this one, so that a rebuild uses two cores;
// the events pass between them in batches (handoff) and are applied in log
// order. Events decoded before a failure are applied before follow returns
// it.
func (r *Runner) follow(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := newHandoff()
	go func() {
		err := r.log.SubscribeAll(ctx, r.Position(), func(e events.Envelope) error { return h.put(ctx, e) })
		if err == nil {
			err = errors.New("projections: subscription ended without an error")
		}
		h.end(err) // the reader takes events until this
	}()
	var spare []events.Envelope
	for {
		batch, err := h.take(spare)
		r.applyBatch(batch)
		if err != nil {
			return err
		}
		spare = batch
	}
}

// applyBatch applies events in order, holding applying for the whole batch
// (one lock for up to pipelineDepth events rather than one each: Pause waits
// for the batch, a few milliseconds at most), and publishes the position
// once, after the last event. When every projector allows it (byProjector)
// it applies the batch projector by projector, each BatchApplier taking its
// lock once per run of events; otherwise event by event to every projector.
func (r *Runner) applyBatch(batch []events.Envelope) {
	r.applying.Lock()
	defer r.applying.Unlock()
	batch = unapplied(batch, r.position) // idempotent by position
	if len(batch) == 0 {
		return
	}
	if r.byProjector(batch) {
		for _, p := range r.projectors {
			p.(BatchApplier).ApplyBatch(batch)
		}
	} else {
		for _, e := range batch {
			for _, p := range r.projectors {
				p.Apply(e)
			}
		}
	}
	last := batch[len(batch)-1]
	r.lastID = last.ID
	r.mu.Lock()
	r.position = last.Position
	if r.wanted != 0 && r.position >= r.wanted {
		// Every waiter wakes and, if its own position is still ahead,
		// registers it again.
		close(r.advanced)
		r.advanced, r.wanted = make(chan struct{}), 0
	}
	r.mu.Unlock()
}

// ErrWaitTimeout is returned by WaitFor when ctx ends first.
var ErrWaitTimeout = errors.New("projections: read models did not reach the position in time")

// WaitFor blocks until the read models have applied position, or ctx ends.
func (r *Runner) WaitFor(ctx context.Context, position uint64) error {
	for {
		r.mu.Lock()
		reached, advanced := r.position >= position, r.advanced
		if !reached && (r.wanted == 0 || position < r.wanted) {
			r.wanted = position
		}
		r.mu.Unlock()
		if reached {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: at %d, want %d: %w", ErrWaitTimeout, r.Position(), position, ctx.Err())
		case <-advanced:
		}
	}
}

// CatchUp waits until the read models have applied everything that was in
// the log when it was called.
func (r *Runner) CatchUp(ctx context.Context) error {
	head, err := r.log.Head(ctx)
	if err != nil {
		return fmt.Errorf("projections: head: %w", err)
	}
	return r.WaitFor(ctx, head)
}
