// Package natsforward publishes every event of the log, once and in log
// order, into a JetStream stream that outside subscribers read with their
// own durable consumers. The subjects follow infra/eventfeed's scheme
// (pactledger.events.<entity>.<action>.<names…>); each message body is an
// eventfeed.Message with secrets redacted.
//
// Exactly-once forwarding: the checkpoint is the forwarded stream itself.
// Each message carries the log position it forwards (header
// Pactledger-Position), so at start the forwarder reads the stream's last
// message and continues after that position: nothing is skipped or
// published twice across restarts or crashes. Every publish also expects
// the stream's last sequence (so two forwarders on one stream cannot
// interleave; the loser re-reads the checkpoint) and carries Nats-Msg-Id =
// the event id (so a publish retried after a lost acknowledgement is
// dropped by the server).
package natsforward

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/eventfeed"
)

// DefaultStreamName is the JetStream stream the forwarder fills. (The event
// store's own stream is PACTLEDGER_EVENTS, on pactledger.store.>.)
const DefaultStreamName = "PACTLEDGER_DOMAIN_EVENTS"

// Message headers.
const (
	HeaderPosition  = "Pactledger-Position"
	HeaderEventType = "Pactledger-Event-Type"
)

// Config wires a Forwarder.
type Config struct {
	// Conn is a connection to the JetStream server that holds the stream.
	// The forwarder does not close it.
	Conn *nats.Conn
	Log  *events.Log
	// Environments names environments in subjects; required.
	Environments eventfeed.EnvironmentNamer
	// StreamName defaults to DefaultStreamName; Replicas to 1.
	StreamName string
	Replicas   int
	Logger     *slog.Logger
}

// Forwarder publishes the log into the stream. Create it with New, run it
// with Run.
type Forwarder struct {
	cfg    Config
	stream jetstream.Stream
	log    *slog.Logger

	mu       sync.Mutex
	position uint64 // last log position forwarded
	lastSeq  uint64 // the stream's last sequence
	advanced chan struct{}
}

// New creates the stream if it does not exist and returns a forwarder.
func New(ctx context.Context, cfg Config) (*Forwarder, error) {
	if cfg.StreamName == "" {
		cfg.StreamName = DefaultStreamName
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	js, err := jetstream.New(cfg.Conn)
	if err != nil {
		return nil, fmt.Errorf("natsforward: %w", err)
	}
	want := jetstream.StreamConfig{
		Name:        cfg.StreamName,
		Description: "pactledger domain events for subscribers, one message per log event (see infra/eventfeed)",
		Subjects:    []string{eventfeed.SubjectPrefix + ".>"},
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardNew,
		MaxMsgs:     -1, MaxBytes: -1, MaxMsgsPerSubject: -1, MaxMsgSize: -1,
		Duplicates:         2 * time.Minute,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowAtomicPublish: true,
	}
	st, err := js.CreateStream(ctx, want)
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		st, err = js.Stream(ctx, want.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("natsforward: stream %s: %w", want.Name, err)
	}
	if !st.CachedInfo().Config.AllowAtomicPublish {
		return nil, fmt.Errorf("natsforward: stream %s exists without allow_atomic", want.Name)
	}
	return &Forwarder{cfg: cfg, stream: st, log: cfg.Logger.With("component", "natsforward"),
		advanced: make(chan struct{})}, nil
}

// Checkpoint reads the position the stream has forwarded up to (0 when
// empty) and the stream's last sequence.
func (f *Forwarder) Checkpoint(ctx context.Context) (position, lastSeq uint64, err error) {
	info, err := f.stream.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("natsforward: stream info: %w", err)
	}
	lastSeq = info.State.LastSeq
	if lastSeq == 0 {
		return 0, 0, nil
	}
	msg, err := f.stream.GetMsg(ctx, lastSeq)
	if err != nil {
		return 0, 0, fmt.Errorf("natsforward: checkpoint message %d (the stream must keep its last message): %w", lastSeq, err)
	}
	position, err = strconv.ParseUint(msg.Header.Get(HeaderPosition), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("natsforward: checkpoint message %d has no %s header: %w", lastSeq, HeaderPosition, err)
	}
	return position, lastSeq, nil
}

// Position returns the last log position forwarded by this process (or
// found in the checkpoint).
func (f *Forwarder) Position() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.position
}

// WaitFor blocks until position is forwarded or ctx ends.
func (f *Forwarder) WaitFor(ctx context.Context, position uint64) error {
	for {
		f.mu.Lock()
		reached, ch := f.position >= position, f.advanced
		f.mu.Unlock()
		if reached {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// Run forwards from the checkpoint, then follows the log until ctx ends.
// A failure (publish, subscription, lost race with another forwarder) is
// logged and followed, after a back-off, by a fresh checkpoint read and
// subscription. It returns ctx.Err().
func (f *Forwarder) Run(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for {
		err := f.runOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		f.log.WarnContext(ctx, "forwarder stopped; restarting from the checkpoint", "error", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (f *Forwarder) runOnce(ctx context.Context) error {
	pos, seq, err := f.Checkpoint(ctx)
	if err != nil {
		return err
	}
	f.advance(pos, seq)
	head, err := f.cfg.Log.Head(ctx)
	if err != nil {
		return err
	}
	b := &batch{f: f, head: head}
	err = f.cfg.Log.SubscribeAll(ctx, pos, func(e events.Envelope) error { return b.add(ctx, e) })
	if ferr := b.flush(ctx); err == nil {
		err = ferr
	}
	return err
}

func (f *Forwarder) advance(pos, seq uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.position, f.lastSeq = pos, seq
	close(f.advanced)
	f.advanced = make(chan struct{})
}

// message builds the NATS message of e. A document larger than the
// connection allows is sent without its data and marked truncated, so one
// huge pact never stops the forwarder; subscribers read it from the API.
func (f *Forwarder) message(e events.Envelope) (*nats.Msg, error) {
	facts := eventfeed.Describe(e, f.cfg.Environments)
	doc, err := eventfeed.NewMessage(e, facts)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("natsforward: encode position %d: %w", e.Position, err)
	}
	if int64(len(body))+4096 > f.cfg.Conn.MaxPayload() {
		doc.Data, doc.Truncated = nil, true
		if body, err = json.Marshal(doc); err != nil {
			return nil, err
		}
	}
	m := nats.NewMsg(facts.Subject())
	m.Data = body
	m.Header.Set(HeaderPosition, strconv.FormatUint(e.Position, 10))
	m.Header.Set(HeaderEventType, e.Type)
	return m, nil
}
