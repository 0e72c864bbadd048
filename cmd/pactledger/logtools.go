package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
)

// logTools are the subcommands that work on the log itself, offline:
// replay, export and import. Each opens the store that serve would open
// (the same flags and environment variables) and closes it when done.
var logTools = map[string]func(args []string, stdout, stderr io.Writer) int{
	"replay": runReplay,
	"export": runExport,
	"import": runImport,
}

// toolRun parses the serve flags plus the tool's own, opens the store and
// runs fn. Errors are printed as "pactledger <name>: …" and give exit 1;
// flag mistakes give exit 2.
func toolRun(name string, args []string, stderr io.Writer, extra func(fs *flag.FlagSet),
	fn func(ctx context.Context, cfg serveConfig, store events.Store) error) int {
	cfg, err := parseConfig(name, args, os.LookupEnv, extra)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "pactledger %s: %v\n", name, err)
		return 2
	}
	if cfg.LogLevel == "info" {
		cfg.LogLevel = "warn" // a tool's output is its report, not the store's chatter
	}
	logger := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	store, closeStore, err := openToolStore(ctx, cfg, logger)
	if err != nil {
		fmt.Fprintf(stderr, "pactledger %s: %v\n", name, err)
		return 1
	}
	defer closeStore()
	if err := fn(ctx, cfg, store); err != nil {
		fmt.Fprintf(stderr, "pactledger %s: %v\n", name, err)
		return 1
	}
	return 0
}

// openToolStore opens the configured store. The embedded JetStream store
// belongs to one process at a time: when a server runs on the same data
// directory, opening fails, and the error says so.
func openToolStore(ctx context.Context, cfg serveConfig, logger *slog.Logger) (events.Store, func(), error) {
	if cfg.Store == "memory" {
		return nil, nil, errors.New("--store memory holds nothing outside a running server; use jetstream or kurrentdb")
	}
	store, closeStore, err := openStore(ctx, cfg, logger)
	if errors.Is(err, jetstream.ErrDataDirInUse) {
		return nil, nil, fmt.Errorf("%w\nIs a pactledger server running on --data-dir %s? Stop it first: "+
			"the embedded JetStream store can be open in one process at a time", err, cfg.DataDir)
	}
	return store, closeStore, err
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
