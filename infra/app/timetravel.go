package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/projections"
)

// historicalViews is how many rebuilt past states TimeTravel keeps.
const historicalViews = 4

// TimeTravel answers queries as of an earlier point of the log. It rebuilds
// fresh read models (catalog, deployments, contracts) by replaying the log
// from the start up to the position — the same projections, the same query
// code, no second write path — and keeps the last few it built (LRU).
//
// Cost: a rebuild replays every event up to the position (about 100,000
// events/s into the read models on embedded JetStream, see the README), and
// holds one more copy of the read models as they were then. Rebuilds run one
// at a time, so concurrent requests for the same instant share one.
// Rebuilt contracts hold where pact content is, not the content: GET pact
// as of a past position reads it through the live pactContents, which is
// right for every past state (content is immutable and never dropped).
type TimeTravel struct {
	log     *events.Log
	history *projections.History
	live    *projections.Runner

	build chan struct{} // holds a token while a rebuild runs: one at a time
	mu    sync.Mutex    // guards views
	views []timeView    // least recently used first
}

type timeView struct {
	position uint64
	models   httpapi.Models
}

// NewTimeTravel returns a TimeTravel over the log; history maps times to
// positions, live says how far the log is known.
func NewTimeTravel(log *events.Log, history *projections.History, live *projections.Runner) *TimeTravel {
	return &TimeTravel{log: log, history: history, live: live, build: make(chan struct{}, 1)}
}

// Head implements httpapi.TimeTravel: the live read models' position.
func (t *TimeTravel) Head() uint64 { return t.live.Position() }

// PositionAt implements httpapi.TimeTravel.
func (t *TimeTravel) PositionAt(at time.Time) uint64 { return t.history.PositionAt(at) }

// ModelsAt implements httpapi.TimeTravel.
func (t *TimeTravel) ModelsAt(ctx context.Context, position uint64) (httpapi.Models, error) {
	if m, ok := t.cached(position); ok {
		return m, nil
	}
	select {
	case t.build <- struct{}{}:
		defer func() { <-t.build }()
	case <-ctx.Done():
		return httpapi.Models{}, fmt.Errorf("app: waiting for another time-travel rebuild: %w", ctx.Err())
	}
	if m, ok := t.cached(position); ok {
		return m, nil
	}
	m, err := RebuildModels(ctx, t.log, position)
	if err != nil {
		return httpapi.Models{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.views) == historicalViews {
		t.views = t.views[1:]
	}
	t.views = append(t.views, timeView{position, m})
	return m, nil
}

func (t *TimeTravel) cached(position uint64) (httpapi.Models, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, v := range t.views {
		if v.position == position {
			t.views = append(append(t.views[:i:i], t.views[i+1:]...), v) // most recently used last
			return v.models, true
		}
	}
	return httpapi.Models{}, false
}

var errReached = errors.New("app: position reached")

// RebuildModels replays the log from the start into fresh read models and
// stops after position; 0 gives empty models. The position must be in the
// log (at most its head), or it waits for it until ctx ends.
func RebuildModels(ctx context.Context, log *events.Log, position uint64) (httpapi.Models, error) {
	c, d, k := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()
	pc := projections.NewProviderContracts()
	// A comparison missing then is answered as pending, as it was then; the
	// past never asks for new comparisons.
	bdct := &bdctReader{contracts: pc, pacts: k, requester: noComparisonRequests{}}
	m := httpapi.Models{Catalog: c, Deployments: d, Contracts: k,
		Matrix: matrixReader{projections.NewView(c, d, k), bdct}}
	if position == 0 {
		return m, nil
	}
	err := log.SubscribeAll(ctx, 0, func(e events.Envelope) error {
		if e.Position > position {
			return errReached // sparse positions: the next event is past it
		}
		c.Apply(e)
		d.Apply(e)
		k.Apply(e)
		pc.Apply(e)
		if e.Position == position {
			return errReached
		}
		return nil
	})
	if !errors.Is(err, errReached) {
		return httpapi.Models{}, fmt.Errorf("app: rebuild read models up to position %d: %w", position, err)
	}
	return m, nil
}

// noComparisonRequests drops requests for comparisons (historical views).
type noComparisonRequests struct{}

func (noComparisonRequests) Request(domain.ComparisonKey) {}
