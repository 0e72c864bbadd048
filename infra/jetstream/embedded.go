package jetstream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startEmbedded starts a single-node JetStream server with file storage
// under cfg.DataDir (event-store.md §2.1 and §5.3) and waits until it accepts
// connections.
//
// NoSigs is set: without it the server calls os.Exit(0) on SIGINT/SIGTERM and
// bypasses the application's graceful shutdown. The StoreDir is always
// explicit, because an empty one silently falls back to $TMPDIR.
func startEmbedded(cfg Config, log *slog.Logger) (*server.Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("jetstream: Config.DataDir is required for the embedded server")
	}
	opts := &server.Options{
		ServerName: "pactledger",
		JetStream:  true,
		StoreDir:   filepath.Join(cfg.DataDir, "nats"),
		SyncAlways: cfg.SyncAlways,
		MaxPayload: embeddedMaxPayload,
		NoSigs:     true,
		NoLog:      true, // the slog adapter is installed below
		DontListen: true,
	}
	if cfg.ListenAddr != "" {
		host, port, err := net.SplitHostPort(cfg.ListenAddr)
		if err != nil {
			return nil, fmt.Errorf("jetstream: ListenAddr %q: %w", cfg.ListenAddr, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("jetstream: ListenAddr %q: bad port: %w", cfg.ListenAddr, err)
		}
		if p == 0 {
			p = server.RANDOM_PORT
		}
		opts.DontListen, opts.Host, opts.Port = false, host, p
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("jetstream: embedded server: %w", err)
	}
	ns.SetLoggerV2(slogAdapter{log.With("component", "nats-server")}, false, false, false)
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		ns.WaitForShutdown()
		return nil, errors.New("jetstream: embedded server not ready after 30s")
	}
	return ns, nil
}

// slogAdapter routes the server's log to slog. Notices (start-up banners and
// the like) go to debug, so a production logger at info only sees warnings
// and errors.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) logf(level slog.Level, format string, v []any) {
	if a.l.Enabled(context.Background(), level) {
		a.l.Log(context.Background(), level, fmt.Sprintf(format, v...))
	}
}

func (a slogAdapter) Noticef(format string, v ...any) { a.logf(slog.LevelDebug, format, v) }

// Warnf logs at warn, except the server's advice against payloads over 8 MB:
// the embedded server raises max_payload on purpose so that 8 MiB events
// (plus headers) fit, and that advice would otherwise open every start-up.
func (a slogAdapter) Warnf(format string, v ...any) {
	level := slog.LevelWarn
	if strings.HasPrefix(format, "Maximum payloads over") {
		level = slog.LevelDebug
	}
	a.logf(level, format, v)
}
func (a slogAdapter) Fatalf(format string, v ...any) { a.logf(slog.LevelError, format, v) }
func (a slogAdapter) Errorf(format string, v ...any) { a.logf(slog.LevelError, format, v) }
func (a slogAdapter) Debugf(format string, v ...any) { a.logf(slog.LevelDebug-4, format, v) }
func (a slogAdapter) Tracef(format string, v ...any) { a.logf(slog.LevelDebug-8, format, v) }
