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

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/kurrentdb"
	"github.com/pactledger/pactledger/infra/memstore"
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
	application := app.Start(store, app.Options{BaseURL: cfg.BaseURL, Logger: logger,
		AllowContractModification: cfg.AllowContractModification, WebhookPolicy: cfg.Webhooks,
		Snapshots: cfg.snapshotOptions()})
	defer application.Close()

	started := time.Now()
	if err := application.Runner.CatchUp(ctx); err != nil {
		return fmt.Errorf("rebuild read models: %w", err)
	}
	logger.Info("read models rebuilt", "position", application.Runner.Position(), "duration", time.Since(started))
	if cfg.SeedEnvs {
		seeded, err := application.Commands.SeedEnvironments(events.WithMetadata(ctx, events.Metadata{Actor: "pactledger-seed"}))
		if err != nil {
			return fmt.Errorf("seed environments: %w", err)
		}
		if seeded {
			logger.Info("seeded environments test and production into an empty store")
		}
	}

	srv := &http.Server{
		Handler: application.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
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
