// Package memstore is an in-memory events.Store for unit tests and throwaway
// demos. It keeps every record until the process ends and passes the same
// contract suite as the durable adapters.
package memstore

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

// Store is an in-memory events.Store. The zero value is not usable; call New.
type Store struct {
	mu      sync.RWMutex
	log     []events.Record   // log[i].Position == i+1
	streams map[string][]int  // stream -> indexes into log
	byID    map[uuid.UUID]int // record id -> index into log
	changed chan struct{}     // closed and replaced on every append
}

// New returns an empty store.
func New() *Store {
	return &Store{streams: map[string][]int{}, byID: map[uuid.UUID]int{}, changed: make(chan struct{})}
}

// Append implements events.Store.
func (s *Store) Append(ctx context.Context, stream string, expected events.ExpectedVersion, recs ...events.Record) (uint64, error) {
	if err := events.ValidateAppend(stream, recs); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	idx := s.streams[stream]
	if pos, ok := s.retried(stream, recs); ok {
		return pos, nil
	}
	current := uint64(len(idx))
	if !expected.Allows(current) {
		return 0, &events.ConflictError{Stream: stream, Expected: expected, Actual: current}
	}
	for _, r := range recs {
		current++
		r.Stream = stream
		r.StreamVersion = current
		r.Position = uint64(len(s.log) + 1)
		r.Data = append([]byte(nil), r.Data...)
		s.byID[r.ID] = len(s.log)
		idx = append(idx, len(s.log))
		s.log = append(s.log, r)
	}
	s.streams[stream] = idx
	close(s.changed)
	s.changed = make(chan struct{})
	return uint64(len(s.log)), nil
}

// retried reports whether recs were stored already on stream (a retry of an
// earlier append) and, if so, the position of the last of them.
func (s *Store) retried(stream string, recs []events.Record) (uint64, bool) {
	first, ok := s.byID[recs[0].ID]
	if !ok || s.log[first].Stream != stream {
		return 0, false
	}
	last, ok := s.byID[recs[len(recs)-1].ID]
	if !ok || s.log[last].Stream != stream {
		return 0, false
	}
	return s.log[last].Position, true
}

// ReadStream implements events.Store.
func (s *Store) ReadStream(ctx context.Context, stream string) ([]events.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	idx := s.streams[stream]
	out := make([]events.Record, len(idx))
	for i, j := range idx {
		out[i] = s.log[j]
	}
	return out, nil
}

// SubscribeAll implements events.Store.
func (s *Store) SubscribeAll(ctx context.Context, after uint64, fn func(events.Record) error) error {
	next := after
	for {
		s.mu.RLock()
		batch := s.log[min(next, uint64(len(s.log))):]
		changed := s.changed
		s.mu.RUnlock()
		for _, r := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
			next = r.Position
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// Head implements events.Store.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return uint64(len(s.log)), nil
}
