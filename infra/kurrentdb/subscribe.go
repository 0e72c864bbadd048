package kurrentdb

import (
	"context"
	"errors"
	"fmt"

	kdb "github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"github.com/pactledger/pactledger/events"
)

// SubscribeAll implements events.Store with a catch-up subscription to $all.
//
// after must be 0 (from the beginning) or a position this store returned; the
// subscription starts at Position{Commit: after, Prepare: after}, which is
// where the event at that position begins, since pactledger appends are
// implicit transactions whose events have equal commit and prepare positions.
// The server filters on this store's stream-name prefix, which also keeps out
// system streams; the adapter checks the prefix again and drops anything at
// or before after (or before the last event delivered), so delivery is
// strictly in position order whether or not the server's start is inclusive.
//
// It returns ctx.Err() when ctx ends, fn's error when fn fails, and a wrapped
// error when the server drops the subscription; callers resubscribe from the
// last position they processed.
func (s *Store) SubscribeAll(ctx context.Context, after uint64, fn func(events.Record) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var from kdb.AllPosition = kdb.Start{}
	if after > 0 {
		from = kdb.Position{Commit: after, Prepare: after}
	}
	sub, err := s.db.SubscribeToAll(ctx, kdb.SubscribeToAllOptions{
		From:           from,
		Filter:         &kdb.SubscriptionFilter{Type: kdb.StreamFilterType, Prefixes: []string{s.prefix}},
		RequiresLeader: true,
	})
	if err != nil {
		return fmt.Errorf("kurrentdb: subscribe to $all after %d: %w", after, ctxOr(ctx, err))
	}
	defer sub.Close()
	last := after
	for {
		e := sub.Recv()
		switch {
		case e.SubscriptionDropped != nil:
			if err := ctx.Err(); err != nil {
				return err
			}
			err := e.SubscriptionDropped.Error
			if err == nil {
				err = errors.New("dropped by the server")
			}
			return fmt.Errorf("kurrentdb: subscription to $all after %d: %w", last, err)
		case e.EventAppeared != nil:
			ev := e.EventAppeared.OriginalEvent()
			if ev == nil || !s.owns(ev.StreamID) || ev.Position.Commit <= last {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(s.record(ev, "")); err != nil {
				return err
			}
			last = ev.Position.Commit
		}
		// CheckPointReached, CaughtUp and FellBehind need no action: the
		// caller checkpoints the positions of the records it processed.
	}
}
