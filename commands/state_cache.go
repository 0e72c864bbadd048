package commands

import (
	"context"
	"sync"

	"github.com/pactledger/pactledger/domain"
)

// stateCacheLimit bounds the streams whose folded state a Service keeps.
// When it is full an arbitrary entry goes; a stream that lost its entry is
// read from the store again on its next command.
const stateCacheLimit = 50_000

// cachedState is a stream's state folded up to version (the number of
// events folded), whose last event is at position.
type cachedState struct {
	state    any
	version  uint64
	position uint64
}

// stateCache keeps the folded state of recently written streams, so that a
// command on such a stream decides without reading it again. Entries are
// written only by the command holding the stream's stripe lock.
//
// A cached state may be stale when another process wrote to the stream (a
// replica sharing the store). It can never let a stale decision through:
// an append carries the cached version as its Exact expected version, so
// the store refuses it if the stream moved, and the command then reads the
// stream and decides again; a decision that appends nothing (a no-op or a
// refusal) is checked against the stream's current version first (see
// versionChecker), or taken again from a fresh read.
type stateCache struct {
	mu      sync.Mutex
	entries map[string]cachedState
}

func (c *stateCache) get(stream string) (cachedState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.entries[stream]
	return st, ok
}

func (c *stateCache) put(stream string, st cachedState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cachedState{}
	}
	if _, ok := c.entries[stream]; !ok && len(c.entries) >= stateCacheLimit {
		for k := range c.entries { // map order: an arbitrary victim
			delete(c.entries, k)
			break
		}
	}
	c.entries[stream] = st
}

func (c *stateCache) drop(stream string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, stream)
}

// cacheable reports whether states of type S are worth caching. A pact
// content's state holds the whole document (up to many MiB), and its
// stream is written once, so caching it would only hold memory.
func cacheable[S any]() bool {
	var zero S
	_, content := any(zero).(domain.PactContent)
	return !content
}

// versionChecker is what a store may offer to check a cached state cheaply:
// the stream's current version (its number of events) without reading it.
// infra/jetstream implements it with one request for the subject's last
// message. Stores without it get a full read instead.
type versionChecker interface {
	StreamVersion(ctx context.Context, stream string) (uint64, error)
}
