package projections

import (
	"cmp"
	"slices"

	"github.com/pactledger/pactledger/domain"
)

// ContentRef says where stored pact content is in the log, by SHA.
// Content is immutable and never dropped (deleting pacts keeps it), so a
// ref stays valid for the life of the log.
func (c *Contracts) ContentRef(sha string) (PactContentRef, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id, ok := c.syms.id(sha)
	if !ok {
		return PactContentRef{}, false
	}
	return c.contentRefView(id, sha)
}

// Pact returns the pact a consumer version holds for a provider (its
// latest revision).
func (c *Contracts) Pact(k domain.PactKey) (PactView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pactOf(k.Consumer, k.ConsumerVersion, k.Provider)
	if id < 0 {
		return PactView{}, false
	}
	return c.pactView(id), true
}

// PactRevisions lists every revision of the pact a consumer version holds
// for a provider, oldest first; the last is what Pact returns.
func (c *Contracts) PactRevisions(k domain.PactKey) []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pactOf(k.Consumer, k.ConsumerVersion, k.Provider)
	if id < 0 {
		return nil
	}
	return c.revisions(id)
}

// PactsOfConsumerVersion lists the pacts a consumer version holds, by
// provider name.
func (c *Contracts) PactsOfConsumerVersion(consumer, version string) []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := []PactView{}
	if vid := c.versionOf(consumer, version); vid >= 0 {
		for id := c.vers[vid].pacts; id >= 0; id = c.pacts[id].next {
			out = append(out, c.pactView(id))
		}
	}
	return out
}

// PactsOfPacticipantVersion lists the keys of the pacts a version holds as
// consumer (commands.Lookups).
func (c *Contracts) PactsOfPacticipantVersion(consumer, version string) []domain.PactKey {
	pacts := c.PactsOfConsumerVersion(consumer, version)
	out := make([]domain.PactKey, len(pacts))
	for i, p := range pacts {
		out[i] = p.PactKey
	}
	return out
}

// PactsWithProvider lists the keys of every pact for a provider, of every
// consumer (commands.Lookups). It walks the provider's pacts only.
func (c *Contracts) PactsWithProvider(provider string) []domain.PactKey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	prov, ok := c.syms.id(provider)
	if !ok {
		return nil
	}
	var out []domain.PactKey
	for _, ig := range c.byProv[prov] {
		for _, id := range ig.byOrder {
			out = append(out, c.pactView(id).PactKey)
		}
	}
	return out
}

// PactsOfIntegration lists a pair's pacts, newest consumer version first
// (by version order). Callers that look for the newest pact with some
// property walk it and stop at the first match.
func (c *Contracts) PactsOfIntegration(consumer, provider string) []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ig := c.integrationOf(consumer, provider)
	if ig == nil {
		return nil
	}
	out := make([]PactView, len(ig.byOrder))
	for i, id := range ig.byOrder {
		out[len(out)-1-i] = c.pactView(id)
	}
	return out
}

// LatestPact returns a pair's latest pact: that of the consumer version
// with the largest order.
func (c *Contracts) LatestPact(consumer, provider string) (PactView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.latest(c.integrationOf(consumer, provider))
}

func (c *Contracts) latest(ig *integrationRow) (PactView, bool) {
	if ig == nil || len(ig.byOrder) == 0 {
		return PactView{}, false
	}
	return c.pactView(ig.byOrder[len(ig.byOrder)-1]), true
}

// LatestPactsForProvider returns the latest pact of each consumer of a
// provider, by consumer name.
func (c *Contracts) LatestPactsForProvider(provider string) []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	prov, _ := c.syms.id(provider)
	out := make([]PactView, 0, len(c.byProv[prov]))
	for _, ig := range c.byProv[prov] {
		if p, ok := c.latest(ig); ok {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b PactView) int { return cmp.Compare(a.Consumer, b.Consumer) })
	return out
}

// LatestPacts returns the latest pact of every integration, by consumer
// then provider name.
func (c *Contracts) LatestPacts() []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []PactView
	for _, byProvider := range c.ints {
		for _, ig := range byProvider {
			if p, ok := c.latest(ig); ok {
				out = append(out, p)
			}
		}
	}
	sortPacts(out)
	return out
}

func sortPacts(ps []PactView) {
	slices.SortFunc(ps, func(a, b PactView) int {
		return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.Provider, b.Provider))
	})
}

// Integrations lists every consumer→provider pair with pacts, by consumer
// then provider name.
func (c *Contracts) Integrations() []IntegrationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []IntegrationView
	for _, byProvider := range c.ints {
		out = c.appendIntegrations(out, byProvider)
	}
	sortIntegrations(out)
	return out
}

// IntegrationsOfConsumer lists the providers a consumer has pacts with.
func (c *Contracts) IntegrationsOfConsumer(consumer string) []IntegrationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []IntegrationView
	if cons, ok := c.syms.id(consumer); ok {
		out = c.appendIntegrations(nil, c.ints[cons])
	}
	sortIntegrations(out)
	return out
}

// IntegrationsOfProvider lists the consumers that have pacts with a
// provider.
func (c *Contracts) IntegrationsOfProvider(provider string) []IntegrationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []IntegrationView
	if prov, ok := c.syms.id(provider); ok {
		out = c.appendIntegrations(nil, c.byProv[prov])
	}
	sortIntegrations(out)
	return out
}

func (c *Contracts) appendIntegrations(out []IntegrationView, rows map[uint32]*integrationRow) []IntegrationView {
	for _, ig := range rows {
		out = append(out, c.integrationView(ig))
	}
	return out
}

// Integration returns one consumer→provider pair.
func (c *Contracts) Integration(consumer, provider string) (IntegrationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ig := c.integrationOf(consumer, provider)
	if ig == nil {
		return IntegrationView{}, false
	}
	return c.integrationView(ig), true
}

// integrationView fills the derived fields; it walks the pair's distinct
// contents (pact versions), not its pacts.
func (c *Contracts) integrationView(ig *integrationRow) IntegrationView {
	v := IntegrationView{Consumer: c.syms.str(ig.consumer), Provider: c.syms.str(ig.provider), CreatedAt: ig.createdAt.time()}
	if n := len(ig.byOrder); n > 0 {
		v.LatestPactCreatedAt = c.pacts[ig.byOrder[n-1]].rev.createdAt.time()
	}
	for _, id := range ig.pvs {
		if len(c.pvs[id].results) > 0 {
			v.Verified = true
			break
		}
	}
	return v
}

func sortIntegrations(ivs []IntegrationView) {
	slices.SortFunc(ivs, func(a, b IntegrationView) int {
		return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.Provider, b.Provider))
	})
}

// PactVersionExists reports whether some pact of the pair has (or had, in
// an earlier revision) the content (commands.Lookups).
func (c *Contracts) PactVersionExists(k domain.PactVersionKey) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.pvOf(k) >= 0
}

// PactVersion returns a pact version with the consumer versions that hold
// it, oldest first.
func (c *Contracts) PactVersion(k domain.PactVersionKey) (PactVersionView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pvOf(k)
	if id < 0 {
		return PactVersionView{}, false
	}
	pv := &c.pvs[id]
	v := PactVersionView{PactVersionKey: c.pvKeyOf(pv.key), CreatedAt: pv.createdAt.time(),
		ConsumerVersions: []string{}, AllConsumerVersions: make([]string, 0, len(pv.refs))}
	for _, pid := range pv.refs {
		p := &c.pacts[pid]
		if p.rev.sha == pv.key.sha {
			v.ConsumerVersions = append(v.ConsumerVersions, c.syms.str(p.number))
		}
		v.AllConsumerVersions = append(v.AllConsumerVersions, c.syms.str(p.number))
	}
	return v, true
}

// ConsumerVersionsWithLatestSHA lists the consumer versions whose latest
// pact for the provider has the content, oldest first: the versions a
// verification of the pact version applies to ("pre-verified" ones too).
func (c *Contracts) ConsumerVersionsWithLatestSHA(k domain.PactVersionKey) []string {
	v, _ := c.PactVersion(k)
	return v.ConsumerVersions
}
