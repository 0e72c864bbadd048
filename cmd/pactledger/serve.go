package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/kurrentdb"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/projections"
)

// serve runs the server until SIGINT or SIGTERM, then drains HTTP, stops the
// projections and closes the store, in that order.
func serve(args []string, stderr io.Writer) error {
	cfg, err := parseServeConfig(args)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	store, closeStore, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeStore()
	log := events.NewLog(store, events.NewDefaultRegistry())
	catalog, deployments, contracts := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()
	runner := projections.NewRunner(log, logger, catalog, deployments, contracts)
	runCtx, stopRunner := context.WithCancel(context.Background())
	runnerDone := make(chan struct{})
	go func() { defer close(runnerDone); _ = runner.Run(runCtx) }()
	defer func() { stopRunner(); <-runnerDone }()

	started := time.Now()
	if err := runner.CatchUp(ctx); err != nil {
		return fmt.Errorf("rebuild read models: %w", err)
	}
	logger.Info("read models rebuilt", "position", runner.Position(), "duration", time.Since(started))
	svc := commands.New(log, runner, lookups{catalog, deployments, contracts}, nil, nil)
	svc.AllowContractModification = cfg.AllowContractModification
	if cfg.SeedEnvs {
		seeded, err := svc.SeedEnvironments(events.WithMetadata(ctx, events.Metadata{Actor: "pactledger-seed"}))
		if err != nil {
			return fmt.Errorf("seed environments: %w", err)
		}
		if seeded {
			logger.Info("seeded environments test and production into an empty store")
		}
	}

	api := httpapi.New(httpapi.Config{BaseURL: cfg.BaseURL, Commands: svc, Catalog: catalog, Deployments: deployments,
		Contracts: contracts, Logger: logger})
	srv := &http.Server{
		Handler: api, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	logger.Info("pactledger listening", "address", ln.Addr().String(), "store", cfg.Store, "data_dir", cfg.DataDir)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Warn("HTTP shutdown", "error", err)
	}
	return nil
}

// lookups joins the read models into what commands need.
type lookups struct {
	*projections.Catalog
	*projections.Deployments
	*projections.Contracts
}

func newLogger(cfg serveConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func openStore(ctx context.Context, cfg serveConfig, logger *slog.Logger) (events.Store, func(), error) {
	switch cfg.Store {
	case "memory":
		logger.Warn("memory store: every event is lost when the process ends")
		return memstore.New(), func() {}, nil
	case "kurrentdb":
		s, err := kurrentdb.Open(ctx, kurrentdb.Config{URL: cfg.KurrentDBURL, Logger: logger})
		if err != nil {
			return nil, nil, fmt.Errorf("open kurrentdb: %w", err)
		}
		return s, func() { _ = s.Close() }, nil
	default:
		s, err := jetstream.Open(ctx, jetstream.Config{
			DataDir: filepath.Clean(cfg.DataDir), SyncAlways: cfg.SyncAlways, URL: cfg.NATSURL,
			Replicas: cfg.NATSReplicas, ListenAddr: cfg.NATSListen, Logger: logger,
		})
		if err != nil {
			return nil, nil, fmt.Errorf("open jetstream: %w", err)
		}
		return s, func() { _ = s.Close() }, nil
	}
}
