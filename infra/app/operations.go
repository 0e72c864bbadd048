package app

import (
	"context"
	"fmt"

	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/infra/metrics"
)

// Operations are the security and operations options of an application.
// The zero value is no authentication, no metrics, reads from the local
// read models, and ready as soon as the read models caught up.
type Operations struct {
	// Auth is who may call the API; the zero value is no authentication.
	Auth httpapi.AuthConfig
	// StrongReads makes every read wait for the store's head (replicas).
	StrongReads bool
	// MaxBodyBytes bounds request bodies; 0 is httpapi.DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Metrics, when set, measures the application and is served on
	// httpapi.MetricsPath.
	Metrics *metrics.Metrics
	// BeforeReady, when set, runs once the read models caught up at start
	// (seeding, say); the application is ready when it returns nil.
	BeforeReady func(ctx context.Context, a *App) error
}

// operate adds the operations options to the API's configuration.
func (a *App) operate(cfg *httpapi.Config, ops Operations) {
	cfg.Auth, cfg.Tokens, cfg.StrongReads, cfg.MaxBodyBytes = ops.Auth, a.Tokens, ops.StrongReads, ops.MaxBodyBytes
	cfg.Progress = progress{a}
	if ops.Metrics != nil {
		a.Commands.Observer = ops.Metrics
		cfg.Observer, cfg.MetricsHandler = ops.Metrics, ops.Metrics.Handler()
		ops.Metrics.WatchProjections(progress{a})
	}
}

// becomeReady waits for the read models to catch up with the log, runs
// BeforeReady, and marks the application ready (or records why not).
func (a *App) becomeReady(ctx context.Context, ops Operations) {
	err := a.Runner.CatchUp(ctx)
	if err != nil {
		err = fmt.Errorf("rebuild read models: %w", err)
	} else if ops.BeforeReady != nil {
		err = ops.BeforeReady(ctx, a)
	}
	if err != nil {
		a.readyErr = err
	}
	close(a.ready)
}

// WaitReady blocks until the application is ready, or could not get ready
// (the error), or ctx ends.
func (a *App) WaitReady(ctx context.Context) error {
	select {
	case <-a.ready:
		return a.readyErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// progress is the store head and read-model position for the API and the
// metrics.
type progress struct{ a *App }

func (p progress) Head(ctx context.Context) (uint64, error) { return p.a.Log.Head(ctx) }
func (p progress) Position() uint64                         { return p.a.Runner.Position() }
func (p progress) WaitFor(ctx context.Context, position uint64) error {
	return p.a.Runner.WaitFor(ctx, position)
}

// Ready is closed once the application is ready. An application that could
// not get ready never serves the API: Ready stays open for it.
func (p progress) Ready() <-chan struct{} {
	select {
	case <-p.a.ready:
		if p.a.readyErr != nil {
			return nil
		}
	default:
	}
	return p.a.ready
}
