package app

import (
	"container/list"
	"context"
	"fmt"
	"sync"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// DefaultContentCacheBytes bounds the cache of decoded pact content: 32 MiB
// holds the few hundred documents a busy verification round reads again and
// again (pacts are typically a few KiB to a few hundred KiB), and is small
// next to the read models.
const DefaultContentCacheBytes = 32 << 20

// contentRefs says where pact content is in the log (projections.Contracts).
type contentRefs interface {
	ContentRef(sha string) (projections.PactContentRef, bool)
}

// positionReader reads events by log position (logReader).
type positionReader interface {
	ReadPositions(ctx context.Context, positions []uint64) ([]events.Envelope, error)
}

// pactContents serves stored pact content from the log: the contracts read
// model keeps only where each document is (its events' positions), and a
// read fetches those events (point reads on JetStream and memstore, a
// scan from the first elsewhere, see contentReader), folds them as the domain does (joining
// split content) and keeps the result in a small LRU cache bounded by bytes.
//
// Content is addressed by SHA, immutable and never dropped, so the live
// read model's refs answer for every past state too (time travel reads
// through the same service), and cached content never goes stale.
//
// Safe for concurrent use. The returned Content is shared with the cache:
// callers must not modify it. Two concurrent cold reads of one SHA both read
// the log (no single-flight: reads are cheap and the cache keeps one).
type pactContents struct {
	refs  contentRefs
	log   positionReader
	cache *contentCache
}

func newPactContents(log *events.Log, refs contentRefs, cacheBytes int) *pactContents {
	return &pactContents{refs: refs, log: contentReader{log}, cache: newContentCache(cacheBytes)}
}

// contentReader reads a document's few events with point reads wherever
// the store has them, however close together they are (logReader would
// scan a dense range, which costs a consumer and a prefetched batch on
// JetStream); elsewhere it scans from the first (logReader).
type contentReader struct{ log *events.Log }

func (r contentReader) ReadPositions(ctx context.Context, positions []uint64) ([]events.Envelope, error) {
	pr, ok := r.log.Store().(PositionReader)
	if !ok {
		return logReader(r).ReadPositions(ctx, positions)
	}
	recs, err := pr.ReadPositions(ctx, positions)
	if err != nil {
		return nil, err
	}
	out := make([]events.Envelope, len(recs))
	for i, rec := range recs {
		if out[i], err = r.log.Decode(rec); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Content implements httpapi.PactContents: the content stored under sha,
// false when the read model knows no such content, or an error when the log
// cannot be read or does not hold what the ref says (a bug, or a read-model
// snapshot from another log).
func (s *pactContents) Content(ctx context.Context, sha string) (projections.PactContentView, bool, error) {
	if v, ok := s.cache.get(sha); ok {
		return v, true, nil
	}
	ref, ok := s.refs.ContentRef(sha)
	if !ok {
		return projections.PactContentView{}, false, nil
	}
	envs, err := s.log.ReadPositions(ctx, ref.Positions)
	if err != nil {
		return projections.PactContentView{}, false, fmt.Errorf("app: read pact content %s at %v: %w", sha, ref.Positions, err)
	}
	content, err := foldPactContent(ref, envs)
	if err != nil {
		return projections.PactContentView{}, false, err
	}
	v := projections.PactContentView{SHA: sha, Content: content, InteractionsCount: ref.InteractionsCount,
		MessagesCount: ref.MessagesCount, CreatedAt: ref.CreatedAt}
	s.cache.put(v)
	return v, true, nil
}

// foldPactContent joins the events of ref with domain.EvolvePactContent
// and checks the result is what the ref describes.
func foldPactContent(ref projections.PactContentRef, envs []events.Envelope) ([]byte, error) {
	var st domain.PactContent
	for _, e := range envs {
		p, ok := e.Data.(events.PactContentStored)
		if !ok || p.SHA != ref.SHA {
			return nil, fmt.Errorf("app: pact content %s: position %d holds a %s, not its content", ref.SHA, e.Position, e.Type)
		}
		st = domain.EvolvePactContent(st, e)
	}
	if !st.Exists || len(st.Stored.Content) != ref.Size {
		return nil, fmt.Errorf("app: pact content %s: the events at %v do not make its %d bytes", ref.SHA, ref.Positions, ref.Size)
	}
	return st.Stored.Content, nil
}

// contentCache is an LRU of decoded content bounded by bytes (content plus
// a fixed overhead per entry). A document larger than a quarter of the
// bound is not kept, so one huge pact cannot flush the rest.
type contentCache struct {
	mu    sync.Mutex
	max   int
	used  int
	order *list.List // of projections.PactContentView, most recently used first
	bySHA map[string]*list.Element
}

// contentEntryOverhead approximates an entry's memory beyond its content
// (list element, map entry, view).
const contentEntryOverhead = 256

func newContentCache(maxBytes int) *contentCache {
	return &contentCache{max: maxBytes, order: list.New(), bySHA: map[string]*list.Element{}}
}

func entryBytes(v projections.PactContentView) int {
	return len(v.Content) + len(v.SHA) + contentEntryOverhead
}

func (c *contentCache) get(sha string) (projections.PactContentView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.bySHA[sha]
	if !ok {
		return projections.PactContentView{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(projections.PactContentView), true
}

func (c *contentCache) put(v projections.PactContentView) {
	n := entryBytes(v)
	if n > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.bySHA[v.SHA]; ok {
		return
	}
	c.bySHA[v.SHA] = c.order.PushFront(v)
	c.used += n
	for c.used > c.max {
		last := c.order.Back()
		old := c.order.Remove(last).(projections.PactContentView)
		delete(c.bySHA, old.SHA)
		c.used -= entryBytes(old)
	}
}

// bytes is how much the cache holds (its bound's measure).
func (c *contentCache) bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}
