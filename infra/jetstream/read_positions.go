package jetstream

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
)

// ReadPositions returns the records at the given log positions (stream
// sequences), in the order given, with one get per position: a request to
// the stream leader each, so it suits a page of the audit trail, not a
// replay (use SubscribeAll). A position that holds no message is an error.
func (s *Store) ReadPositions(ctx context.Context, positions []uint64) ([]events.Record, error) {
	out := make([]events.Record, 0, len(positions))
	for _, p := range positions {
		var msg *jetstream.RawStreamMsg
		err := s.retrying(ctx, "get message", func() error {
			return s.attempt(ctx, apiTimeout, func(ctx context.Context) (err error) {
				msg, err = s.stream.GetMsg(ctx, p)
				return err
			})
		})
		if err != nil {
			return nil, fmt.Errorf("jetstream: read position %d: %w", p, err)
		}
		r, err := s.toRecord(msg.Subject, msg.Sequence, msg.Header, msg.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
