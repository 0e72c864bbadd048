package eventfeed

import (
	"context"
	"sort"
	"sync"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// EnvironmentNames answers which name an environment had at a log
// position, from the environments stream itself (not from a read model), so
// the answer for an event is the same however late it is forwarded. It
// caches the stream and reads it again when asked about a position beyond
// what it has seen. Safe for concurrent use.
type EnvironmentNames struct {
	log *events.Log

	mu      sync.Mutex
	history map[string][]namedAt // by uuid, in log order
	seen    uint64               // position of the last record read
	head    uint64               // log head when last read
}

type namedAt struct {
	position uint64
	name     string
}

// NewEnvironmentNames returns a namer over log.
func NewEnvironmentNames(log *events.Log) *EnvironmentNames {
	return &EnvironmentNames{log: log, history: map[string][]namedAt{}}
}

// Name implements EnvironmentNamer: the name of uuid as of position (the
// newest name given at or before it; a later name if the environment was
// created later, which happens only for events that name it before it
// exists). A failed read leaves "" for the caller's fallback.
func (n *EnvironmentNames) Name(uuid string, position uint64) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, known := n.history[uuid]; !known || position > n.head {
		n.reload()
	}
	h := n.history[uuid]
	i := sort.Search(len(h), func(i int) bool { return h[i].position > position })
	switch {
	case i > 0:
		return h[i-1].name
	case len(h) > 0:
		return h[0].name
	}
	return ""
}

func (n *EnvironmentNames) reload() {
	ctx := context.Background()
	head, err := n.log.Head(ctx)
	if err != nil {
		return
	}
	envs, err := n.log.ReadStream(ctx, domain.EnvironmentsStream)
	if err != nil {
		return
	}
	n.head = head
	for _, e := range envs {
		if e.Position <= n.seen {
			continue
		}
		n.seen = e.Position
		switch p := e.Data.(type) {
		case events.EnvironmentCreated:
			n.history[p.UUID] = append(n.history[p.UUID], namedAt{e.Position, p.Name})
		case events.EnvironmentUpdated:
			n.history[p.UUID] = append(n.history[p.UUID], namedAt{e.Position, p.Name})
		}
	}
}
