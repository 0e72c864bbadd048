// Package app wires pactledger's parts over one event store: the typed log,
// the read models and the runner that feeds them, the commands, and the HTTP
// API. The server and the tests build the application through it, so they
// run the same thing.
package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// Options tune the application.
type Options struct {
	// BaseURL prefixes every href; empty means the request's scheme and host.
	BaseURL string
	// Logger receives the application's logs; nil discards them.
	Logger *slog.Logger
	// AllowContractModification lets a consumer version's pact change content
	// (PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION).
	AllowContractModification bool
	// WebhookPolicy holds the webhook allow-lists (methods, schemes,
	// hosts); the zero value is the Pact Broker's default.
	WebhookPolicy domain.WebhookPolicy
	// Security and operations: see operations.go.
	Operations
	// Comparator compares pacts with provider OpenAPI contracts (bi-directional
	// contract testing); nil means the default engine. BDCTRecentBranchDays
	// and ComparisonWorkers tune its pool (bdct_pool.go); 0 means the default.
	Comparator           domain.ContractComparator
	BDCTRecentBranchDays int
	ComparisonWorkers    int
	// Streaming configures GET /events and webhook delivery (streaming.go).
	Streaming StreamingOptions
	// Snapshots control read-model snapshots (snapshot.go); the zero value
	// disables them.
	Snapshots SnapshotOptions
}

// App is one running application over one store.
type App struct {
	Log *events.Log
	// ReadModels are the read models the runner feeds (read_models.go).
	ReadModels
	Runner   *projections.Runner
	Commands *commands.Service
	// WebhookCommands are the webhook use cases under Options.WebhookPolicy.
	WebhookCommands *commands.Webhooks
	// Matrix is the reader the matrix and can-i-deploy queries run on (the
	// same one the HTTP API uses), for in-process callers such as
	// cmd/pactbench. Like the read models it is safe for concurrent use.
	Matrix queries.MatrixReader
	// Handler is the HTTP API.
	Handler http.Handler
	// Streaming holds the event feed and webhook delivery (streaming.go).
	Streaming

	stop context.CancelFunc
	done chan struct{}
	// ready is closed once the read models caught up at start; readyErr
	// says why they could not.
	ready       chan struct{}
	readyErr    error
	comparisons *comparisonPool
	snap        *snapshots
}

// lookups joins the read models into what commands need.
type lookups struct {
	*projections.Catalog
	*projections.Deployments
	*projections.Contracts
}

// PacticipantExists implements commands.PacticipantChecker.
func (l lookups) PacticipantExists(name string) bool {
	_, ok := l.Catalog.Pacticipant(name)
	return ok
}

// Start builds the application over store and starts applying the log to
// the read models in the background; use Runner.CatchUp to wait for the
// rebuild. Close stops it; the store stays open (its owner closes it).
func Start(store events.Store, opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Metrics != nil {
		store = opts.Metrics.WrapStore(store)
	}
	a := &App{
		Log:        events.NewLog(store, events.NewDefaultRegistry()),
		ReadModels: NewReadModels(opts.Streaming.webhookBaseURL(opts.BaseURL)),
		done:       make(chan struct{}),
		ready:      make(chan struct{}),
		snap:       &snapshots{opts: opts.Snapshots, logger: opts.Logger},
	}
	a.newBDCT(opts)
	a.Runner = projections.NewRunner(a.Log, opts.Logger, append(a.Projectors(), a.comparisons)...)
	a.Runner.StartAt(a.restoreSnapshot(store)) // snapshot.go: every read model of the runner, or none
	look := lookups{a.Catalog, a.Deployments, a.Contracts}
	a.Commands = commands.New(a.Log, a.Runner, look, nil, nil)
	a.Commands.AllowContractModification = opts.AllowContractModification
	a.Commands.Seeds = a.Deployments // deployment streams start from the read model, not a cold read
	a.WebhookCommands = a.Commands.Webhooks(opts.WebhookPolicy, look)
	a.comparisons.commands = a.Commands
	a.Matrix = matrixReader{projections.NewView(a.Catalog, a.Deployments, a.Contracts), a.bdctReader()}
	a.startStreaming(opts)
	cfg := httpapi.Config{BaseURL: opts.BaseURL, Commands: a.Commands, Catalog: a.Catalog,
		Deployments: a.Deployments, Contracts: a.Contracts, Logger: opts.Logger, Matrix: a.Matrix,
		Webhooks: a.Webhooks, WebhookCommands: a.WebhookCommands, BDCT: a.bdctAPI(), Events: a.EventsFeed,
		WebhookDeliveries: a.WebhookDeliveries, WebhookMaxAttempts: len(a.DeliveryCommands.Schedule()) + 1,
		History: historyService{a.History, a.Log}, TimeTravel: NewTimeTravel(a.Log, a.History, a.Runner)}
	a.operate(&cfg, opts.Operations)
	a.Handler = httpapi.New(cfg)
	ctx, stop := context.WithCancel(context.Background())
	a.stop = stop
	looped := make(chan struct{})
	go func() { defer close(looped); a.snapshotLoop(ctx) }()
	go func() { defer close(a.done); defer func() { <-looped }(); _ = a.Runner.Run(ctx) }()
	go a.becomeReady(ctx, opts.Operations)
	a.comparisons.start(ctx)
	return a
}

// Close stops the projections and waits for them, then saves a snapshot of
// the read models when snapshots are on and events were applied since the
// last one.
func (a *App) Close() {
	a.stop()
	<-a.done
	a.comparisons.wait()
	if err := a.SaveSnapshot(); err != nil {
		a.snap.logger.Warn("read-model snapshot not saved at close", "error", err)
	}
}
