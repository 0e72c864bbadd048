package events

import (
	"context"
	"fmt"
)

// Log is the typed face of a Store: it encodes Envelopes into Records on the
// way in and decodes them on the way out, through one Registry.
type Log struct {
	store    Store
	registry *Registry
}

// NewLog wraps store with registry.
func NewLog(store Store, registry *Registry) *Log {
	return &Log{store: store, registry: registry}
}

// Store returns the underlying store.
func (l *Log) Store() Store { return l.store }

// Registry returns the registry used for encoding and decoding.
func (l *Log) Registry() *Registry { return l.registry }

// Append encodes envs and appends them to stream with the expected version.
// ID, OccurredAt and Meta must be set by the caller; Type is taken from Data.
func (l *Log) Append(ctx context.Context, stream string, expected ExpectedVersion, envs ...Envelope) (uint64, error) {
	recs := make([]Record, len(envs))
	for i, env := range envs {
		data, err := l.registry.Encode(env.Data)
		if err != nil {
			return 0, err
		}
		recs[i] = Record{ID: env.ID, Type: env.Data.EventType(), OccurredAt: env.OccurredAt.UTC(), Meta: env.Meta, Data: data}
	}
	return l.store.Append(ctx, stream, expected, recs...)
}

// ReadStream returns every event of stream, decoded, in order.
func (l *Log) ReadStream(ctx context.Context, stream string) ([]Envelope, error) {
	recs, err := l.store.ReadStream(ctx, stream)
	if err != nil {
		return nil, err
	}
	out := make([]Envelope, len(recs))
	for i, r := range recs {
		if out[i], err = l.Decode(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SubscribeAll decodes every record after the given position and hands it to
// fn, then follows the live tail; see Store.SubscribeAll.
// Each subscription decodes through its own Decoder, which copies what the
// Envelope keeps out of the record: it borrows the records' Data when the
// store lends it (BorrowingSubscriber).
func (l *Log) SubscribeAll(ctx context.Context, after uint64, fn func(Envelope) error) error {
	dec := l.NewDecoder()
	subscribe := l.store.SubscribeAll
	if b, ok := l.store.(BorrowingSubscriber); ok {
		subscribe = b.SubscribeAllBorrowed
	}
	return subscribe(ctx, after, func(r Record) error {
		env, err := dec.Decode(r)
		if err != nil {
			return err
		}
		return fn(env)
	})
}

// Head returns the position of the last event in the log.
func (l *Log) Head(ctx context.Context) (uint64, error) { return l.store.Head(ctx) }

// Decode turns one stored record into an Envelope.
func (l *Log) Decode(r Record) (Envelope, error) { return l.decode(r, nil) }

// Decoder decodes a run of records on one goroutine, as a subscription
// reads them: it gives equal plain string values of recent records one
// shared string instead of allocating each again (the names, version
// numbers and SHAs that most events repeat), which makes a replay's
// decoding cheaper for the allocator and the garbage collector. Its
// Envelopes are equal to Log.Decode's; the strings may share storage with
// earlier ones, which is invisible since strings are immutable.
//
// It keeps up to 16,384 short strings (at most 96 bytes each) alive while
// it is reachable, fewer while it has decoded few records (its table grows
// with use). Not safe for concurrent use.
type Decoder struct {
	log  *Log
	strs *stringCache
}

// NewDecoder returns a Decoder for this log's registry.
func (l *Log) NewDecoder() *Decoder { return &Decoder{log: l, strs: newStringCache()} }

// Decode turns one stored record into an Envelope, as Log.Decode does.
func (d *Decoder) Decode(r Record) (Envelope, error) { return d.log.decode(r, d.strs) }

func (l *Log) decode(r Record, strs *stringCache) (Envelope, error) {
	typ, p, err := l.registry.decode(r.Type, r.Data, strs)
	if err != nil {
		return Envelope{}, fmt.Errorf("events: record %s at position %d: %w", r.ID, r.Position, err)
	}
	return Envelope{
		ID: r.ID, Type: typ, Stream: r.Stream, StreamVersion: r.StreamVersion, Position: r.Position,
		OccurredAt: r.OccurredAt.UTC(), Meta: r.Meta, Data: p,
	}, nil
}
