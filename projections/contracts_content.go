package projections

import (
	"slices"
	"time"

	"github.com/pactledger/pactledger/events"
)

// PactContentRef says where stored pact content is in the log: the read
// model keeps no content bytes (they are already in the log, and an
// organisation's pacts would otherwise be a large share of the heap).
// Reading content is an I/O read of the events at Positions (infra/app's
// pact content service).
type PactContentRef struct {
	SHA string
	// Positions are the log positions of the PactContentStored events that
	// make the content, ascending: one for a document stored whole, every
	// part of a split one (joined in this order, as
	// domain.EvolvePactContent joins them). Read them and fold them with
	// EvolvePactContent to get the content.
	Positions                        []uint64
	Size                             int // bytes of the content
	InteractionsCount, MessagesCount int
	CreatedAt                        time.Time // when it was stored
}

// contentRef is a PactContentRef in the model, without pointers (the map
// that holds them is not scanned by the garbage collector). pos is the
// position of the event that completed the content; split content's other
// parts are in Contracts.splits.
type contentRef struct {
	pos                    uint64
	size                   int32
	interactions, messages int32
	createdAt              stamp
}

// pendingContent is split content whose last part has not been applied
// yet: the positions of the parts so far and their bytes.
type pendingContent struct {
	positions []uint64
	size      int
}

// storeContent records where content is. It follows domain.EvolvePactContent:
// the first complete document wins; a document stored whole completes at
// once (whatever parts came before it); split content completes with the
// part whose number reaches its count, joining every part seen, in order.
func (c *Contracts) storeContent(e events.Envelope, p events.PactContentStored) {
	if id, ok := c.syms.id(p.SHA); ok {
		if _, ok := c.contents[id]; ok {
			return
		}
	}
	ref := contentRef{pos: e.Position, interactions: int32(p.InteractionsCount), messages: int32(p.MessagesCount),
		createdAt: stampOf(e.OccurredAt)}
	var earlier []uint64
	if p.Parts <= 1 && p.Chunk == nil {
		ref.size = int32(len(p.Content))
	} else {
		pc := c.pending[p.SHA]
		pc.positions = append(pc.positions, e.Position)
		pc.size += len(p.Chunk)
		if p.Part < p.Parts {
			c.pending[p.SHA] = pc
			return
		}
		ref.size, earlier = int32(pc.size), pc.positions[:len(pc.positions)-1]
	}
	delete(c.pending, p.SHA)
	id := c.syms.add(p.SHA)
	c.contents[id] = ref
	if len(earlier) > 0 {
		c.splits[id] = slices.Clone(earlier)
	}
}

// contentRefView returns the ref as a view. Call with the lock held.
func (c *Contracts) contentRefView(id uint32, sha string) (PactContentRef, bool) {
	ref, ok := c.contents[id]
	if !ok {
		return PactContentRef{}, false
	}
	positions := append(slices.Clone(c.splits[id]), ref.pos)
	return PactContentRef{SHA: sha, Positions: positions, Size: int(ref.size), InteractionsCount: int(ref.interactions),
		MessagesCount: int(ref.messages), CreatedAt: ref.createdAt.time()}, true
}
