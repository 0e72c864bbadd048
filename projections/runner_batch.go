package projections

import (
	"sync"

	"github.com/pactledger/pactledger/events"
)

// BatchApplier is a Projector that can take a run of events at once, under
// one acquisition of its write lock instead of one per event.
//
// Contract: ApplyBatch(b) leaves the model exactly as Apply of each event of
// b in order would, and neither Apply nor ApplyBatch reads another
// projector's state (unless the projector is also a BatchGate). Then the
// Runner may apply a batch projector by projector (each model's whole
// batch, then the next model's) rather than event by event: the models end
// in the same state, with one lock round per run of events per model and
// each model's code and data hot while it runs.
//
// Hazard: a query waits for up to a run of events (batchLockRun) instead of
// one, and may see one model further along in the batch than another (as
// before it could by one event); a WaitFor returns once the whole batch is
// applied to every model.
type BatchApplier interface {
	Projector
	ApplyBatch(batch []events.Envelope)
}

// BatchGate is a BatchApplier whose Apply may read other projectors' state
// for some events (the webhook triggers read the catalog, deployments and
// contracts as they were just before the event). CanApplyBatch reports
// whether applying batch reads none, so that it may be applied projector by
// projector; when it reports false the Runner applies the batch event by
// event to every projector, in their order.
type BatchGate interface {
	CanApplyBatch(batch []events.Envelope) bool
}

// batchLockRun bounds the events a model applies under one acquisition of
// its write lock, so that a query waits for a few hundred microseconds at
// most during a rebuild.
const batchLockRun = 256

// applyRuns applies batch with apply under mu's write lock, taken once per
// run of at most batchLockRun events, skipping the events ignores reports
// (nil: none) without calling apply.
func applyRuns(mu *sync.RWMutex, batch []events.Envelope, ignores func(events.Payload) bool, apply func(events.Envelope)) {
	for len(batch) > 0 {
		run := batch[:min(len(batch), batchLockRun)]
		batch = batch[len(run):]
		mu.Lock()
		for _, e := range run {
			if ignores == nil || !ignores(e.Data) {
				apply(e)
			}
		}
		mu.Unlock()
	}
}

// byProjector reports whether batch may be applied projector by projector:
// every projector is a BatchApplier and no BatchGate objects.
func (r *Runner) byProjector(batch []events.Envelope) bool {
	for _, p := range r.projectors {
		if _, ok := p.(BatchApplier); !ok {
			return false
		}
		if g, ok := p.(BatchGate); ok && !g.CanApplyBatch(batch) {
			return false
		}
	}
	return true
}

// unapplied drops from batch, in place, the events at or below position
// and any that do not move past the one before (a redelivery): what apply
// skipped one event at a time.
func unapplied(batch []events.Envelope, position uint64) []events.Envelope {
	out := batch[:0]
	for _, e := range batch {
		if e.Position > position {
			out = append(out, e)
			position = e.Position
		}
	}
	return out
}
