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
	// Snapshots control read-model snapshots (snapshot.go); the zero value
	// disables them.
	Snapshots SnapshotOptions
}

// App is one running application over one store.
type App struct {
	Log         *events.Log
	Catalog     *projections.Catalog
	Deployments *projections.Deployments
	Contracts   *projections.Contracts
	Webhooks    *projections.Webhooks
	Runner      *projections.Runner
	Commands    *commands.Service
	// WebhookCommands are the webhook use cases under Options.WebhookPolicy.
	WebhookCommands *commands.Webhooks
	// Matrix is the reader the matrix and can-i-deploy queries run on (the
	// same one the HTTP API uses), for in-process callers such as
	// cmd/pactbench. Like the read models it is safe for concurrent use.
	Matrix queries.MatrixReader
	// Handler is the HTTP API.
	Handler http.Handler

	stop context.CancelFunc
	done chan struct{}
	snap *snapshots
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
	a := &App{
		Log:         events.NewLog(store, events.NewDefaultRegistry()),
		Catalog:     projections.NewCatalog(),
		Deployments: projections.NewDeployments(),
		Contracts:   projections.NewContracts(),
		Webhooks:    projections.NewWebhooks(),
		done:        make(chan struct{}),
		snap:        &snapshots{opts: opts.Snapshots, logger: opts.Logger},
	}
	a.Runner = projections.NewRunner(a.Log, opts.Logger, a.Catalog, a.Deployments, a.Contracts, a.Webhooks)
	a.Runner.StartAt(a.restoreSnapshot(store)) // snapshot.go: every read model of the runner, or none
	look := lookups{a.Catalog, a.Deployments, a.Contracts}
	a.Commands = commands.New(a.Log, a.Runner, look, nil, nil)
	a.Commands.AllowContractModification = opts.AllowContractModification
	a.WebhookCommands = a.Commands.Webhooks(opts.WebhookPolicy, look)
	a.Matrix = matrixReader{projections.NewView(a.Catalog, a.Deployments, a.Contracts)}
	a.Handler = httpapi.New(httpapi.Config{BaseURL: opts.BaseURL, Commands: a.Commands, Catalog: a.Catalog,
		Deployments: a.Deployments, Contracts: a.Contracts, Logger: opts.Logger, Matrix: a.Matrix,
		Webhooks: a.Webhooks, WebhookCommands: a.WebhookCommands})
	ctx, stop := context.WithCancel(context.Background())
	a.stop = stop
	looped := make(chan struct{})
	go func() { defer close(looped); a.snapshotLoop(ctx) }()
	go func() { defer close(a.done); defer func() { <-looped }(); _ = a.Runner.Run(ctx) }()
	return a
}

// Close stops the projections and waits for them, then saves a snapshot of
// the read models when snapshots are on and events were applied since the
// last one.
func (a *App) Close() {
	a.stop()
	<-a.done
	if err := a.SaveSnapshot(); err != nil {
		a.snap.logger.Warn("read-model snapshot not saved at close", "error", err)
	}
}
