package projections

import (
	"sync"

	"github.com/pactledger/pactledger/domain"
)

// The matrix reads every revision of many pacts per request. These visitors
// hand them out under the read lock instead of copying each pact's
// revisions into a new slice: fn gets a pointer it must treat as read-only
// and must not keep (it is reused for the next revision), and it must not
// call the model.

// views holds the *PactView each visit expands revisions into, so that a
// visit allocates nothing.
var views = sync.Pool{New: func() any { return new(PactView) }}

func getView() *PactView { return views.Get().(*PactView) }

func putView(v *PactView) {
	*v = PactView{}
	views.Put(v)
}

// eachRevision calls fn with a pact's revisions, oldest first; latest marks
// the current one. view is where each is expanded.
func (c *Contracts) eachRevision(id int32, view *PactView, fn func(p *PactView, latest bool)) {
	p := &c.pacts[id]
	earlier := c.earlier[id]
	for i := range earlier {
		*view = c.revView(p, &earlier[i])
		fn(view, false)
	}
	*view = c.revView(p, &p.rev)
	fn(view, true)
}

// EachPactRevisionOfConsumerVersion calls fn with every revision of the
// pacts a consumer version holds, by provider name, each pact's revisions
// oldest first.
func (c *Contracts) EachPactRevisionOfConsumerVersion(consumer, version string, fn func(p *PactView, latest bool)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	vid := c.versionOf(consumer, version)
	if vid < 0 {
		return
	}
	view := getView()
	defer putView(view)
	for id := c.vers[vid].pacts; id >= 0; id = c.pacts[id].next {
		c.eachRevision(id, view, fn)
	}
}

// EachPactRevisionOfIntegration calls fn with every revision of a pair's
// pacts, newest consumer version first (by version order), each pact's
// revisions oldest first.
func (c *Contracts) EachPactRevisionOfIntegration(consumer, provider string, fn func(p *PactView, latest bool)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ig := c.integrationOf(consumer, provider)
	if ig == nil {
		return
	}
	view := getView()
	defer putView(view)
	for i := len(ig.byOrder) - 1; i >= 0; i-- {
		c.eachRevision(ig.byOrder[i], view, fn)
	}
}

// EachPactRevisionWithContent calls fn with every revision that has the
// pact version's content, of every consumer version whose pact has (or had)
// it, oldest consumer version first.
func (c *Contracts) EachPactRevisionWithContent(k domain.PactVersionKey, fn func(p *PactView, latest bool)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pvid := c.pvOf(k)
	if pvid < 0 {
		return
	}
	sha := c.pvs[pvid].key.sha
	view := getView()
	defer putView(view)
	for _, id := range c.pvs[pvid].refs {
		p := &c.pacts[id]
		earlier := c.earlier[id]
		for i := range earlier {
			if earlier[i].sha == sha {
				*view = c.revView(p, &earlier[i])
				fn(view, false)
			}
		}
		if p.rev.sha == sha {
			*view = c.revView(p, &p.rev)
			fn(view, true)
		}
	}
}

// ConsumerNames lists the consumers that have pacts with a provider, in no
// order: the names only, without reading each integration's row (what
// IntegrationsOfProvider adds: times, the verified flag).
func (c *Contracts) ConsumerNames(provider string) []string {
	return c.AppendConsumerNames(nil, provider)
}

// AppendConsumerNames appends what ConsumerNames lists to dst and returns
// it: the matrix reads them into a reused buffer.
func (c *Contracts) AppendConsumerNames(dst []string, provider string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	prov, ok := c.syms.id(provider)
	if !ok {
		return dst
	}
	for consumer := range c.byProv[prov] {
		dst = append(dst, c.syms.str(consumer))
	}
	return dst
}

// ProviderNames lists the providers a consumer has pacts with, in no
// order, as ConsumerNames does.
func (c *Contracts) ProviderNames(consumer string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	cons, ok := c.syms.id(consumer)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(c.ints[cons]))
	for provider := range c.ints[cons] {
		out = append(out, c.syms.str(provider))
	}
	return out
}
