package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// Defaults of the comparison pool.
const (
	// DefaultRecentBranchDays is how recently a feature branch's head must
	// have been added for pre-generation to compare against it.
	DefaultRecentBranchDays = 30
	// maxRecentBranches caps the feature branches per application that
	// pre-generation compares against (the most recently updated).
	maxRecentBranches = 20
	// comparisonQueue bounds the comparisons waiting for a worker. A request
	// that finds it full is dropped: pre-generation is best effort, and an
	// on-demand request is made again by the next can-i-deploy poll.
	comparisonQueue = 4096
	// comparisonTimeout bounds one comparison; one that takes longer is
	// recorded as failed, so can-i-deploy never stays unknown forever.
	comparisonTimeout = 60 * time.Second
	// timeoutCode is the mismatch code of a comparison that timed out.
	timeoutCode = "comparison.timeout"
)

// comparisonPool runs pact/OpenAPI comparisons off the request path with a
// bounded number of workers, each comparison at most once at a time in
// this process (in-flight requests are deduplicated). It learns of
// publications as a projector (so after a restart that rebuilds the read
// models from the whole log it plans again, and compares whatever was never
// compared; after a start from a read-model snapshot it plans only the
// publications after it, see bdct_pool_snapshot.go), and of on-demand
// needs from the matrix reader.
//
// Concurrency: Request and Apply never block; they may be called from any
// goroutine. Results go through commands.RecordComparison, so replicas
// racing on one comparison store one result.
type comparisonPool struct {
	comparator  domain.ContractComparator
	contracts   *projections.ProviderContracts
	pacts       *projections.Contracts
	contents    *pactContents
	catalog     *projections.Catalog
	deployments *projections.Deployments
	commands    *commands.Service // set once, before start
	recentDays  int
	workers     int
	timeout     time.Duration // comparisonTimeout; shorter in tests
	now         func() time.Time
	log         *slog.Logger

	queue chan domain.ComparisonKey

	mu       sync.Mutex
	inflight map[domain.ComparisonKey]struct{}
	triggers []trigger
	wake     chan struct{}
	wg       sync.WaitGroup
}

// trigger is a publication that pre-generation plans comparisons for:
// a pact (Consumer set) or a provider contract.
type trigger struct {
	consumer, provider, sha string
}

func newComparisonPool(opts Options, a *App) *comparisonPool {
	days := opts.BDCTRecentBranchDays
	if days <= 0 {
		days = DefaultRecentBranchDays
	}
	workers := opts.ComparisonWorkers
	if workers <= 0 {
		workers = 2
	}
	return &comparisonPool{comparator: opts.Comparator, contracts: a.ProviderContracts, pacts: a.Contracts,
		contents: a.contents, catalog: a.Catalog, deployments: a.Deployments, recentDays: days, workers: workers, timeout: comparisonTimeout,
		now: func() time.Time { return time.Now().UTC() }, log: opts.Logger,
		queue: make(chan domain.ComparisonKey, comparisonQueue), inflight: map[domain.ComparisonKey]struct{}{},
		wake: make(chan struct{}, 1)}
}

// Name implements projections.Projector.
func (*comparisonPool) Name() string { return "comparison-trigger" }

// Apply implements projections.Projector: it notes publications for the
// planner and returns at once.
func (p *comparisonPool) Apply(e events.Envelope) {
	var t trigger
	switch ev := e.Data.(type) {
	case events.PactPublished:
		t = trigger{consumer: ev.Consumer, provider: ev.Provider, sha: ev.SHA}
	case events.ProviderContractPublished:
		t = trigger{provider: ev.Provider, sha: ev.SHA}
	default:
		return
	}
	p.mu.Lock()
	p.triggers = append(p.triggers, t)
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Request asks for a comparison unless it is done, in flight or the queue
// is full. It never blocks.
func (p *comparisonPool) Request(k domain.ComparisonKey) {
	if p.comparator == nil {
		return
	}
	if _, done := p.contracts.Comparison(k); done {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, busy := p.inflight[k]; busy {
		return
	}
	select {
	case p.queue <- k:
		p.inflight[k] = struct{}{}
	default:
	}
}

// ApplyBatch implements projections.BatchApplier (Apply reads no read
// model): Apply for each event.
func (p *comparisonPool) ApplyBatch(batch []events.Envelope) {
	for _, e := range batch {
		p.Apply(e)
	}
}

// start runs the planner and the workers until ctx ends.
func (p *comparisonPool) start(ctx context.Context) {
	if p.comparator == nil {
		p.log.Warn("no contract comparator configured: bi-directional comparisons stay unknown")
		return
	}
	p.wg.Add(1 + p.workers)
	go func() { defer p.wg.Done(); p.plan(ctx) }()
	for range p.workers {
		go func() { defer p.wg.Done(); p.work(ctx) }()
	}
}

// wait returns once every goroutine of start has ended.
func (p *comparisonPool) wait() { p.wg.Wait() }

func (p *comparisonPool) plan(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
		p.mu.Lock()
		batch := p.triggers
		p.triggers = nil
		p.mu.Unlock()
		seen := map[trigger]bool{}
		targets := map[string][]string{} // per batch: a replay plans many publications at once
		for _, t := range batch {
			if seen[t] || ctx.Err() != nil {
				continue
			}
			seen[t] = true
			if t.consumer != "" {
				p.planPact(t, targets)
			} else {
				p.planContract(t, targets)
			}
		}
	}
}

func (p *comparisonPool) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case k := <-p.queue:
			p.run(ctx, k)
			p.mu.Lock()
			delete(p.inflight, k)
			p.mu.Unlock()
		}
	}
}

// run compares one pair of contents and records the outcome. A failure
// other than the comparison's own timeout is logged and not recorded: the
// comparison is requested again when something needs it.
func (p *comparisonPool) run(ctx context.Context, k domain.ComparisonKey) {
	if _, done := p.contracts.Comparison(k); done {
		return
	}
	if done, err := p.commands.ComparisonRecorded(ctx, k); done || err != nil {
		if err != nil && ctx.Err() == nil {
			p.log.Error("reading a comparison failed", "pact_sha", k.PactSHA, "contract_sha", k.ContractSHA, "error", err)
		}
		return // stored already: the read models will show it once they replay it
	}
	pact, ok, err := p.contents.Content(ctx, k.PactSHA)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Error("reading pact content failed", "pact_sha", k.PactSHA, "error", err)
		}
		return
	}
	contract, ok2 := p.contracts.Content(k.ContractSHA)
	if !ok || !ok2 {
		p.log.Warn("comparison skipped: content missing", "pact_sha", k.PactSHA, "contract_sha", k.ContractSHA)
		return
	}
	cctx, cancel := context.WithTimeout(ctx, p.timeout)
	start := time.Now()
	out, err := p.comparator.Compare(cctx, domain.ComparisonInput{PactSHA: k.PactSHA, Pact: pact.Content,
		ContractSHA: k.ContractSHA, Contract: contract.Content})
	took := time.Since(start)
	cancel()
	switch {
	case ctx.Err() != nil:
		return
	case errors.Is(err, context.DeadlineExceeded):
		out = domain.ComparisonOutcome{Mismatches: []domain.Mismatch{{Code: timeoutCode, Type: domain.MismatchError,
			Message: "The comparison did not finish within " + p.timeout.String()}}}
	case err != nil:
		p.log.Error("comparison failed", "pact_sha", k.PactSHA, "contract_sha", k.ContractSHA, "error", err)
		return
	}
	corr := uuid.NewString()
	rctx := events.WithMetadata(ctx, events.Metadata{CorrelationID: corr, CausationID: corr, Actor: "pactledger"})
	if err := p.commands.RecordComparison(rctx, k, out, took); err != nil && ctx.Err() == nil {
		p.log.Error("recording a comparison failed", "pact_sha", k.PactSHA, "contract_sha", k.ContractSHA, "error", err)
		return
	}
	p.log.Debug("comparison recorded", "pact_sha", k.PactSHA, "contract_sha", k.ContractSHA,
		"success", out.Success, "mismatches", len(out.Mismatches), "duration", took)
}
