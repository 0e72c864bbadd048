package projections

import (
	"cmp"
	"slices"

	"github.com/pactledger/pactledger/domain"
)

// The matrix reads every revision of many pacts per request. These visitors
// hand them out under the read lock instead of copying each pact's
// revisions into a new slice: fn gets a pointer it must treat as read-only
// and must not keep, and it must not call the model.

// eachRevision calls fn with a pact's revisions, oldest first; latest marks
// the current one.
func (r *pactRow) eachRevision(fn func(p *PactView, latest bool)) {
	for i := range r.earlier {
		fn(&r.earlier[i], false)
	}
	fn(&r.view, true)
}

// EachPactRevisionOfConsumerVersion calls fn with every revision of the
// pacts a consumer version holds, by provider name, each pact's revisions
// oldest first.
func (c *Contracts) EachPactRevisionOfConsumerVersion(consumer, version string, fn func(p *PactView, latest bool)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	rows := c.versionPacts[versionKey{consumer, version}]
	if !slices.IsSortedFunc(rows, byProvider) {
		rows = slices.SortedFunc(slices.Values(rows), byProvider)
	}
	for _, row := range rows {
		row.eachRevision(fn)
	}
}

func byProvider(a, b *pactRow) int { return cmp.Compare(a.view.Provider, b.view.Provider) }

// EachPactRevisionOfIntegration calls fn with every revision of a pair's
// pacts, newest consumer version first (by version order), each pact's
// revisions oldest first.
func (c *Contracts) EachPactRevisionOfIntegration(consumer, provider string, fn func(p *PactView, latest bool)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ig := c.byConsumer[consumer][provider]
	if ig == nil {
		return
	}
	for i := len(ig.byOrder) - 1; i >= 0; i-- {
		ig.byOrder[i].eachRevision(fn)
	}
}

// EachPactRevisionWithContent calls fn with every revision that has the
// pact version's content, of every consumer version whose pact has (or had)
// it, oldest consumer version first.
func (c *Contracts) EachPactRevisionWithContent(k domain.PactVersionKey, fn func(p *PactView, latest bool)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return
	}
	for _, cv := range c.byOrder(k.Consumer, pv.refs) {
		if row := c.pactOf(k.Consumer, cv, k.Provider); row != nil {
			row.eachRevision(func(p *PactView, latest bool) {
				if p.SHA == k.SHA {
					fn(p, latest)
				}
			})
		}
	}
}
