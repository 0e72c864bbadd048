package memstore

import (
	"context"
	"fmt"

	"github.com/pactledger/pactledger/events"
)

// ReadPositions returns the records at the given log positions, in the
// order given. A position outside the log is an error. The records' Data
// are shared with the store and must not be changed.
func (s *Store) ReadPositions(ctx context.Context, positions []uint64) ([]events.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]events.Record, len(positions))
	for i, p := range positions {
		if p == 0 || p > uint64(len(s.log)) {
			return nil, fmt.Errorf("memstore: no event at position %d (log has %d)", p, len(s.log))
		}
		out[i] = s.log[p-1]
	}
	return out, nil
}
