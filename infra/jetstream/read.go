package jetstream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
)

// pullOpts caps what one consumer asks for at a time: at most 4096
// messages and at most 64 MiB (eight maximal events), whichever comes
// first. The client buffers the messages in a channel of the message
// count; with 1000 it overflowed several times per replay of a large log
// ("nats: slow consumer, messages dropped"), each time making the ordered
// consumer start over from the last message it delivered (nothing lost,
// but a stall). With 2000 and more no drop was seen; more messages per
// pull request also means fewer requests.
var pullOpts = jetstream.PullMaxMessagesWithBytesLimit(4096, 64<<20)

// ReadStream implements events.Store. It asks the stream leader for the
// subject's last message, then reads up to it through an ordered consumer
// filtered on the subject. On a replicated stream that consumer may sit on a
// follower that lags behind; reading up to the leader's last message makes
// the result include every append acknowledged before the call anyway. An
// empty stream costs one request and no consumer; the consumer is deleted
// afterwards.
func (s *Store) ReadStream(ctx context.Context, stream string) ([]events.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if stream == "" {
		return nil, nil // nothing can be stored under the empty name
	}
	fail := func(err error) ([]events.Record, error) {
		return nil, fmt.Errorf("jetstream: read %q: %w", stream, err)
	}
	subject := s.subject(stream)
	last, err := s.lastOfRetrying(ctx, subject)
	if err != nil || last.seq == 0 {
		if err != nil {
			return fail(err)
		}
		return nil, nil
	}
	oc, err := s.orderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subject},
		DeliverPolicy:  jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return fail(err)
	}
	defer s.deleteConsumer(oc)
	it, err := oc.Messages(pullOpts)
	if err != nil {
		return fail(err)
	}
	defer it.Stop()
	stop := context.AfterFunc(ctx, it.Stop) // also ends the consumer's reset back-off
	defer stop()
	out := make([]events.Record, 0, last.version)
	for len(out) == 0 || out[len(out)-1].Position < last.seq {
		msg, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return fail(err)
		}
		r, err := s.decode(msg)
		if err != nil {
			return fail(err)
		}
		if r.StreamVersion != uint64(len(out)+1) {
			return fail(fmt.Errorf("message %d has version %d, want %d", r.Position, r.StreamVersion, len(out)+1))
		}
		out = append(out, r)
	}
	return out, nil
}

// SubscribeAll implements events.Store. On the embedded server it first
// catches up to the end of the stream with catchUp, which costs about half
// the CPU per record of the ordered consumer, then follows the tail with an
// ordered consumer starting right after the last record catchUp passed (or
// from `after` if the catch-up failed: see catchUp). In external mode the
// ordered consumer does both. The ordered consumer recreates itself on gaps
// and missed heartbeats, so a subscription survives reconnects and leader
// changes. It returns ctx.Err() when ctx ends, fn's error unchanged when fn
// fails, and a wrapped error when the store fails or is closed.
func (s *Store) SubscribeAll(ctx context.Context, after uint64, fn func(events.Record) error) error {
	return s.subscribeAll(ctx, after, false, fn)
}

// SubscribeAllBorrowed implements events.BorrowingSubscriber: the
// catch-up on the embedded server lends fn each payload where it lies in
// its read buffer instead of copying it out (the ordered consumer that
// follows hands over each message's own buffer either way).
func (s *Store) SubscribeAllBorrowed(ctx context.Context, after uint64, fn func(events.Record) error) error {
	return s.subscribeAll(ctx, after, true, fn)
}

func (s *Store) subscribeAll(ctx context.Context, after uint64, borrow bool, fn func(events.Record) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.ns != nil {
		last, fnErr, err := s.readCatchUp(ctx, after, borrow, fn)
		switch {
		case fnErr != nil:
			return fnErr
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && !s.nc.IsClosed() && !s.nc.IsDraining():
			s.log.Warn("replay catch-up failed; going on with an ordered consumer", "position", last, "error", err)
		}
		after = last
	}
	return s.subscribeOrdered(ctx, after, fn)
}

// subscribeOrdered is SubscribeAll with an ordered consumer over the whole
// stream starting at sequence after+1.
func (s *Store) subscribeOrdered(ctx context.Context, after uint64, fn func(events.Record) error) error {
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if after > 0 {
		cfg = jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: after + 1}
	}
	oc, err := s.orderedConsumer(ctx, cfg)
	if err != nil {
		return fmt.Errorf("jetstream: subscribe after %d: %w", after, err)
	}
	defer s.deleteConsumer(oc)
	it, err := oc.Messages(pullOpts)
	if err != nil {
		return fmt.Errorf("jetstream: subscribe after %d: %w", after, err)
	}
	defer it.Stop()
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	last := after
	for {
		msg, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("jetstream: subscription after %d stopped at %d: %w", after, last, err)
		}
		r, err := s.decode(msg)
		if err != nil {
			return err
		}
		if r.Position <= last {
			continue // never seen from an ordered consumer; cheap insurance
		}
		if err := fn(r); err != nil {
			return err
		}
		last = r.Position
	}
}

// Head implements events.Store: the stream's last sequence.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var last uint64
	err := s.retrying(ctx, "stream info", func() error {
		return s.attempt(ctx, apiTimeout, func(ctx context.Context) error {
			info, err := s.stream.Info(ctx)
			if err == nil {
				last = info.State.LastSeq
			}
			return err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("jetstream: head: %w", err)
	}
	return last, nil
}

func (s *Store) decode(msg jetstream.Msg) (events.Record, error) {
	md, err := msg.Metadata()
	if err != nil {
		return events.Record{}, fmt.Errorf("jetstream: message on %q: %w", msg.Subject(), err)
	}
	return s.toRecord(msg.Subject(), md.Sequence.Stream, msg.Headers(), msg.Data())
}

// orderedConsumer creates an ordered consumer, retrying transient failures
// such as a stream leader election.
func (s *Store) orderedConsumer(ctx context.Context, cfg jetstream.OrderedConsumerConfig) (jetstream.Consumer, error) {
	var oc jetstream.Consumer
	err := s.retrying(ctx, "create consumer", func() error {
		return s.attempt(ctx, apiTimeout, func(ctx context.Context) (err error) {
			oc, err = s.stream.OrderedConsumer(ctx, cfg)
			return err
		})
	})
	return oc, err
}

// deleteConsumer removes an ordered consumer right away instead of leaving
// it to the server's inactivity sweep (5 minutes). Failures only cost memory
// until that sweep, so they are logged, not returned.
func (s *Store) deleteConsumer(oc jetstream.Consumer) {
	info := oc.CachedInfo()
	if info == nil || s.nc.IsClosed() || s.nc.IsDraining() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.js.DeleteConsumer(ctx, s.cfg.StreamName, info.Name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		s.log.Debug("delete consumer", "consumer", info.Name, "error", err)
	}
}

// retrying runs fn until it succeeds, fails permanently, ctx ends or
// maxTransient transient failures have happened.
func (s *Store) retrying(ctx context.Context, op string, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return errors.Join(ctx.Err(), err)
		}
		if !transient(err) || attempt > maxTransient {
			return fmt.Errorf("%s: %w", op, err)
		}
		s.log.Debug(op+": retrying", "attempt", attempt, "error", err)
		if werr := sleep(ctx, backoff(attempt)); werr != nil {
			return errors.Join(werr, err)
		}
	}
}

// StreamVersion returns a stream's version (its number of events) from its
// subject's last message on the stream leader: one request, whatever the
// stream's length. The commands use it to check a cached state.
func (s *Store) StreamVersion(ctx context.Context, stream string) (uint64, error) {
	if stream == "" {
		return 0, nil
	}
	h, err := s.lastOfRetrying(ctx, s.subject(stream))
	if err != nil {
		return 0, fmt.Errorf("jetstream: version of %q: %w", stream, err)
	}
	return h.version, nil
}
