package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/kurrentdb"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/infra/metrics"
)

// serve runs the server until SIGINT or SIGTERM, then drains HTTP, stops the
// projections and closes the store, in that order. It listens before the
// read models are rebuilt: the heartbeat answers at once, readiness and the
// API once they caught up.
func serve(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseServeConfig(args, os.LookupEnv)
	if err != nil {
		return err
	}
	if cfg.PrintConfig {
		cfg.settings.print(stdout)
		return nil
	}
	logger := newLogger(cfg, stderr)
	for _, name := range cfg.settings.ignoredVariables(os.Environ()) {
		logger.Warn("ignoring an environment variable pactledger does not use", "variable", name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	store, closeStore, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeStore()
	ops := app.Operations{Auth: cfg.Auth, StrongReads: cfg.StrongReads, MaxBodyBytes: int64(cfg.MaxBodyBytes),
		BeforeReady: seedEnvironments(cfg, logger)}
	if cfg.Metrics {
		ops.Metrics = metrics.New()
	}
	started := time.Now()
	application := app.Start(store, app.Options{BaseURL: cfg.BaseURL, Logger: logger,
		AllowContractModification: cfg.AllowContractModification, WebhookPolicy: cfg.Webhooks, Operations: ops,
		BDCTRecentBranchDays: cfg.BDCTRecentBranchDays, Streaming: cfg.streamingOptions(),
		Snapshots: cfg.snapshotOptions()})
	defer application.Close()

	srv := &http.Server{
		Handler: application.Handler, ReadHeaderTimeout: cfg.ReadHeaderTimeout, ReadTimeout: cfg.ReadTimeout,
		WriteTimeout: cfg.WriteTimeout, IdleTimeout: cfg.IdleTimeout, MaxHeaderBytes: cfg.MaxHeaderBytes,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(application.StopStreams)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	logger.Info("pactledger listening", "address", ln.Addr().String(), "tls", cfg.TLSCert != "",
		"auth", cfg.authEnabled(), "store", cfg.Store, "data_dir", cfg.DataDir, "strong_reads", cfg.StrongReads)
	served := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			served <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
			return
		}
		served <- srv.Serve(ln)
	}()
	readyErr := make(chan error, 1)
	go func() { readyErr <- application.WaitReady(ctx) }()
	for waiting := true; waiting; {
		select {
		case err := <-served:
			return err
		case err := <-readyErr:
			if err != nil && ctx.Err() == nil {
				shutdown(srv, cfg, logger)
				return err
			}
			if err == nil {
				logger.Info("ready: read models rebuilt", "position", application.Runner.Position(), "duration", time.Since(started))
			}
			waiting = false
		}
	}
	stopStreaming, err := startStreaming(ctx, cfg, store, application, logger)
	if err != nil {
		shutdown(srv, cfg, logger)
		return err
	}
	defer stopStreaming()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown(srv, cfg, logger)
	return nil
}

// shutdown drains HTTP within the shutdown timeout.
func shutdown(srv *http.Server, cfg serveConfig, logger *slog.Logger) {
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Warn("HTTP shutdown", "error", err)
	}
}

// seedEnvironments creates test and production in an empty store, once the
// read models caught up, unless --seed-environments=false.
func seedEnvironments(cfg serveConfig, logger *slog.Logger) func(context.Context, *app.App) error {
	return func(ctx context.Context, a *app.App) error {
		if !cfg.SeedEnvs {
			return nil
		}
		seeded, err := a.Commands.SeedEnvironments(events.WithMetadata(ctx, events.Metadata{Actor: "pactledger-seed"}))
		if errors.Is(err, domain.ErrInvalid) || errors.Is(err, domain.ErrConflict) {
			// Another replica sharing the store seeded them first.
			logger.Info("environments seeded by another replica", "detail", err.Error())
			return nil
		}
		if err != nil {
			return fmt.Errorf("seed environments: %w", err)
		}
		if seeded {
			logger.Info("seeded environments test and production into an empty store")
		}
		return nil
	}
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
