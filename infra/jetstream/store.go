// Package jetstream is the durable events.Store on NATS JetStream: one
// JetStream stream holds every event, one subject per event stream.
//
// By default it embeds nats-server in the process (file storage under
// Config.DataDir, in-process connection, no network listener). With
// Config.URL it connects to an external server or cluster instead.
//
// Mapping (see /work/shared/reference/event-store.md §1):
//   - Position is the JetStream stream sequence. The stream denies deletes
//     and purges and has no limits, so sequences are dense from 1.
//   - An event stream named n lives on subject SubjectPrefix+"."+EncodeName(n),
//     so every UTF-8 name is a single safe subject token.
//   - StreamVersion is a dense per-subject counter kept in the
//     Pactledger-Version header. Expected versions become
//     Nats-Expected-Last-Subject-Sequence checks against the sequence of the
//     subject's last message, so the server decides every race.
//   - Nats-Msg-Id is the record ID, which makes retries idempotent.
//
// Durability: with SyncAlways (which callers should set) the embedded server
// fsyncs before it acknowledges, so an acknowledged Append survives a process
// kill or power loss. Without it JetStream fsyncs only every 2 minutes.
package jetstream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
)

// Defaults for the zero values of Config.
const (
	DefaultStreamName    = "PACTLEDGER_EVENTS"
	DefaultSubjectPrefix = "pactledger.store"
)

// MaxAppendRecords is the most records one Append may carry: the server's
// default limit on messages in one atomic batch.
const MaxAppendRecords = 1000

// embeddedMaxPayload lets an events.MaxPayloadBytes payload plus its headers
// through the embedded server.
const embeddedMaxPayload = events.MaxPayloadBytes + 256<<10

// Per-attempt timeouts: an unanswered request is resent after this long
// (or sooner, see failover) unless ctx ends first. A publish may carry 8 MiB
// and wait for fsyncs on every replica; API requests are small, but in a
// cluster one sent while the meta leader is being elected is simply dropped.
const (
	publishTimeout = 5 * time.Second
	apiTimeout     = 2 * time.Second
)

// Config says where the store keeps its data or which server it uses.
type Config struct {
	// DataDir is the directory of the embedded server's file store. It is
	// required in embedded mode and ignored in external mode. The data lives
	// in DataDir/nats/jetstream.
	DataDir string
	// SyncAlways makes the embedded server fsync every write before it
	// acknowledges it. Set it (callers default it to true) unless losing the
	// last two minutes of acknowledged events on power loss is acceptable.
	SyncAlways bool
	// URL selects external mode: a comma-separated list of NATS server URLs,
	// e.g. all three client URLs of a cluster. Empty means embedded mode.
	URL string
	// Replicas is the stream's replica count when the store creates the
	// stream in external mode (default 1; use 3 on a 3-node cluster). The
	// embedded server always uses 1.
	Replicas int
	// StreamName names the JetStream stream (default DefaultStreamName).
	StreamName string
	// SubjectPrefix is the first part of every event subject (default
	// DefaultSubjectPrefix). The stream captures SubjectPrefix+".>".
	SubjectPrefix string
	// ListenAddr, if set as host:port, makes the embedded server accept TCP
	// clients there as well (port 0 picks a free port). Empty means in-process
	// only: the server opens no socket at all.
	ListenAddr string
	// Logger receives the store's and the embedded server's warnings and
	// errors. Nil discards them.
	Logger *slog.Logger
}

// Store is an events.Store on JetStream. It is safe for concurrent use.
// Create it with Open and release it with Close.
type Store struct {
	cfg    Config
	log    *slog.Logger
	ns     *server.Server // nil in external mode
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	closed chan struct{} // closed by nats when the connection is closed
	unlock func()        // releases the data directory (embedded mode); nil otherwise

	failover failover // external mode only

	// catchUpFault, in tests, is called before catchUp passes each record
	// on; an error fails the catch-up there.
	catchUpFault func(pos uint64) error
}

var _ events.Store = (*Store)(nil)

// Open starts the embedded server (or connects to Config.URL), creates the
// event stream if it does not exist and returns the ready store. If the
// stream exists its subjects and atomic-publish flag are checked; the rest of
// its configuration is left as the operator set it. ctx bounds start-up,
// including waiting for a cluster to elect a stream leader.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.StreamName == "" {
		cfg.StreamName = DefaultStreamName
	}
	if cfg.SubjectPrefix == "" {
		cfg.SubjectPrefix = DefaultSubjectPrefix
	}
	if cfg.Replicas <= 0 || cfg.URL == "" {
		cfg.Replicas = 1
	}
	s := &Store{cfg: cfg, log: cfg.Logger, closed: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("component", "jetstream")

	copts := []nats.Option{
		nats.Name("pactledger"),
		nats.ClosedHandler(func(*nats.Conn) { close(s.closed) }),
	}
	var err error
	if cfg.URL == "" {
		if cfg.DataDir != "" {
			if s.unlock, err = lockDataDir(cfg.DataDir); err != nil {
				return nil, err
			}
		}
		if s.ns, err = startEmbedded(cfg, s.log); err != nil {
			s.shutdownServer()
			return nil, err
		}
		s.nc, err = nats.Connect("", append(copts, nats.InProcessServer(s.ns))...)
	} else {
		s.nc, err = nats.Connect(cfg.URL, append(copts,
			nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond))...)
		if err == nil {
			err = s.watchFailover()
		}
	}
	if err != nil {
		if s.nc != nil {
			s.nc.Close()
		}
		s.shutdownServer()
		return nil, fmt.Errorf("jetstream: connect: %w", err)
	}
	if s.js, err = jetstream.New(s.nc); err == nil {
		s.stream, err = s.ensureStream(ctx)
	}
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	if mp := s.nc.MaxPayload(); mp < events.MaxPayloadBytes+4096 {
		s.log.Warn("server max_payload is below events.MaxPayloadBytes; large events will be rejected",
			"max_payload", mp, "want", embeddedMaxPayload)
	}
	return s, nil
}

// streamConfig is the configuration from event-store.md §1.2 and §5.3.
func (s *Store) streamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:               s.cfg.StreamName,
		Description:        "pactledger events: one subject per event stream",
		Subjects:           []string{s.cfg.SubjectPrefix + ".>"},
		Storage:            jetstream.FileStorage,
		Replicas:           s.cfg.Replicas,
		Retention:          jetstream.LimitsPolicy,
		Discard:            jetstream.DiscardNew,
		MaxMsgs:            -1,
		MaxBytes:           -1,
		MaxMsgsPerSubject:  -1,
		MaxMsgSize:         -1,
		Duplicates:         2 * time.Minute,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		DenyDelete:         true,
		DenyPurge:          true,
	}
}

// ensureStream creates the stream, or checks the one that exists. Right after
// a cluster starts the meta leader may not be elected yet, or may not know
// all peers, so those failures are retried until ctx ends.
func (s *Store) ensureStream(ctx context.Context) (jetstream.Stream, error) {
	want := s.streamConfig()
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		var st jetstream.Stream
		err := s.attempt(ctx, apiTimeout, func(ctx context.Context) (err error) {
			st, err = s.js.CreateStream(ctx, want)
			if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
				st, err = s.js.Stream(ctx, want.Name)
			}
			return err
		})
		if err == nil {
			return st, checkStream(st.CachedInfo().Config, want)
		}
		// 10005 "no suitable peers" also happens while a new cluster is
		// still discovering its peers; a cluster that is really too small
		// keeps failing until ctx ends.
		if ctx.Err() != nil || !(transient(err) || apiCode(err) == codeClusterNoPeers) {
			return nil, fmt.Errorf("jetstream: create stream %s: %w", want.Name, err)
		}
		s.log.Debug("create stream: retrying", "error", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("jetstream: create stream %s: %w (last error: %w)", want.Name, ctx.Err(), err)
		case <-time.After(wait):
		}
	}
}

// checkStream reports an existing stream that cannot hold the events as this
// package writes them.
func checkStream(got, want jetstream.StreamConfig) error {
	switch {
	case !slices.Contains(got.Subjects, want.Subjects[0]):
		return fmt.Errorf("jetstream: stream %s exists with subjects %v, want %s", got.Name, got.Subjects, want.Subjects[0])
	case !got.AllowAtomicPublish:
		return fmt.Errorf("jetstream: stream %s exists without allow_atomic", got.Name)
	case got.MaxMsgs > 0 || got.MaxBytes > 0 || got.MaxAge > 0 || got.MaxMsgsPerSubject > 0 || got.Retention != jetstream.LimitsPolicy:
		return fmt.Errorf("jetstream: stream %s exists with limits or a retention policy that would drop events", got.Name)
	}
	return nil
}

// Close drains the connection, then shuts the embedded server down and waits
// for it. SubscribeAll calls still running return an error. Close is not
// safe to call twice.
func (s *Store) Close() error {
	var err error
	if s.nc != nil {
		if derr := s.nc.Drain(); derr != nil && !errors.Is(derr, nats.ErrConnectionClosed) {
			err = fmt.Errorf("jetstream: drain: %w", derr)
			s.nc.Close()
		}
		select {
		case <-s.closed:
		case <-time.After(10 * time.Second):
			s.nc.Close()
			err = errors.Join(err, errors.New("jetstream: drain timed out"))
		}
	}
	s.shutdownServer()
	return err
}

func (s *Store) shutdownServer() {
	if s.ns != nil {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
	}
	if s.unlock != nil {
		s.unlock()
		s.unlock = nil
	}
}

// Server returns the embedded server, or nil in external mode. Tests and the
// composition root use it for health checks and its client URL.
func (s *Store) Server() *server.Server { return s.ns }

// subject returns the subject of an event stream.
func (s *Store) subject(stream string) string {
	return s.cfg.SubjectPrefix + "." + events.EncodeName(stream)
}

// streamOf returns the event stream name of a subject written by subject.
func (s *Store) streamOf(subject string) (string, error) {
	p := s.cfg.SubjectPrefix + "."
	if len(subject) <= len(p) || subject[:len(p)] != p {
		return "", fmt.Errorf("jetstream: subject %q is outside prefix %q", subject, s.cfg.SubjectPrefix)
	}
	return events.DecodeName(subject[len(p):])
}
