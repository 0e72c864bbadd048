package main

import (
	"context"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// genStore is the in-memory events.Store the generator runs its commands
// on: infra/memstore, minus what generation does not need, in about 40% of
// the memory (memstore keeps a full events.Record, an id index and a copy of
// the stream name per event: some 460 bytes an event besides the payload;
// at large scale the log is 7-8 million events). Shared stream names, types
// and metadata, and Unix-nanosecond times, leave under 100 bytes.
//
// Hazard: it is not a general store. It does not detect a retried append by
// record id (the contract's idempotent retry; commands never retry an append
// with the same ids), and it is not checked by infra/storetest.
type genStore struct {
	mu      sync.RWMutex
	recs    []genRec
	streams map[string]*genStream
	types   []string
	typeIdx map[string]uint8
	metas   []events.Metadata // consecutive appends of one operation share an entry
	changed chan struct{}     // closed and replaced on every append
}

type genStream struct {
	name string
	pos  []int32 // indexes into recs, in stream order
}

type genRec struct {
	id     [16]byte
	stream *genStream
	at     int64 // OccurredAt, Unix ns (UTC)
	meta   int32
	typ    uint8
	data   []byte
}

func newGenStore() *genStore {
	return &genStore{streams: map[string]*genStream{}, typeIdx: map[string]uint8{}, changed: make(chan struct{})}
}

var _ events.Store = (*genStore)(nil)

// Append implements events.Store (without retry detection, see genStore).
func (s *genStore) Append(ctx context.Context, stream string, expected events.ExpectedVersion, recs ...events.Record) (uint64, error) {
	if err := events.ValidateAppend(stream, recs); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streams[stream]
	if st == nil {
		st = &genStream{name: stream}
	}
	if current := uint64(len(st.pos)); !expected.Allows(current) {
		return 0, &events.ConflictError{Stream: stream, Expected: expected, Actual: current}
	}
	s.streams[stream] = st
	for _, r := range recs {
		typ, ok := s.typeIdx[r.Type]
		if !ok {
			typ = uint8(len(s.types)) // fewer than 256 event types exist
			s.types, s.typeIdx[r.Type] = append(s.types, r.Type), typ
		}
		if len(s.metas) == 0 || s.metas[len(s.metas)-1] != r.Meta {
			s.metas = append(s.metas, r.Meta)
		}
		meta := int32(len(s.metas) - 1)
		st.pos = append(st.pos, int32(len(s.recs)))
		s.recs = append(s.recs, genRec{id: r.ID, stream: st, at: r.OccurredAt.UnixNano(), meta: meta, typ: typ,
			data: append([]byte(nil), r.Data...)})
	}
	close(s.changed)
	s.changed = make(chan struct{})
	return uint64(len(s.recs)), nil
}

// record rebuilds the events.Record at index i; s.mu must be held.
func (s *genStore) record(i int, version int) events.Record {
	g := &s.recs[i]
	return events.Record{ID: g.id, Type: s.types[g.typ], Stream: g.stream.name, StreamVersion: uint64(version),
		Position: uint64(i + 1), OccurredAt: time.Unix(0, g.at).UTC(), Meta: s.metas[g.meta], Data: g.data}
}

// ReadStream implements events.Store.
func (s *genStore) ReadStream(ctx context.Context, stream string) ([]events.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.streams[stream]
	if st == nil {
		return nil, nil
	}
	out := make([]events.Record, len(st.pos))
	for v, i := range st.pos {
		out[v] = s.record(int(i), v+1)
	}
	return out, nil
}

// versionOf finds a record's stream version; s.mu must be held. Records are
// appended in stream order, so it is a binary search.
func (s *genStore) versionOf(i int) int {
	pos := s.recs[i].stream.pos
	lo, hi := 0, len(pos)
	for lo < hi {
		m := (lo + hi) / 2
		if int(pos[m]) < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo + 1
}

// SubscribeAll implements events.Store, in batches of up to 1024 records.
func (s *genStore) SubscribeAll(ctx context.Context, after uint64, fn func(events.Record) error) error {
	next := int(after)
	batch := make([]events.Record, 0, 1024)
	for {
		s.mu.RLock()
		batch = batch[:0]
		for i := next; i < len(s.recs) && len(batch) < cap(batch); i++ {
			batch = append(batch, s.record(i, s.versionOf(i)))
		}
		changed := s.changed
		s.mu.RUnlock()
		for _, r := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
			next = int(r.Position)
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
func (s *genStore) Head(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return uint64(len(s.recs)), nil
}
