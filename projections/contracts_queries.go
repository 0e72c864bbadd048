package projections

import (
	"cmp"
	"slices"
	"sort"

	"github.com/pactledger/pactledger/domain"
)

// Content returns stored pact content by SHA. The bytes are shared and
// must not be modified.
func (c *Contracts) Content(sha string) (PactContentView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v := c.contents[sha]
	if v == nil {
		return PactContentView{}, false
	}
	return *v, true
}

// Pact returns the pact a consumer version holds for a provider (its
// latest revision).
func (c *Contracts) Pact(k domain.PactKey) (PactView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pactOf(k.Consumer, k.ConsumerVersion, k.Provider)
	if row == nil {
		return PactView{}, false
	}
	return row.view, true
}

// PactRevisions lists every revision of the pact a consumer version holds
// for a provider, oldest first; the last is what Pact returns.
func (c *Contracts) PactRevisions(k domain.PactKey) []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pactOf(k.Consumer, k.ConsumerVersion, k.Provider)
	if row == nil {
		return nil
	}
	return row.revisions()
}

// PactsOfConsumerVersion lists the pacts a consumer version holds, by
// provider name.
func (c *Contracts) PactsOfConsumerVersion(consumer, version string) []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	rows := c.versionPacts[versionKey{consumer, version}]
	out := make([]PactView, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.view)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Provider < out[j].Provider })
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
	var out []domain.PactKey
	for _, ig := range c.byProvider[provider] {
		for _, row := range ig.byOrder {
			out = append(out, row.view.PactKey)
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
	ig := c.byConsumer[consumer][provider]
	if ig == nil {
		return nil
	}
	out := make([]PactView, len(ig.byOrder))
	for i, row := range ig.byOrder {
		out[len(out)-1-i] = row.view
	}
	return out
}

// LatestPact returns a pair's latest pact: that of the consumer version
// with the largest order.
func (c *Contracts) LatestPact(consumer, provider string) (PactView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.latest(c.byConsumer[consumer][provider])
}

func (c *Contracts) latest(ig *integrationRow) (PactView, bool) {
	if ig == nil || len(ig.byOrder) == 0 {
		return PactView{}, false
	}
	return ig.byOrder[len(ig.byOrder)-1].view, true
}

// LatestPactsForProvider returns the latest pact of each consumer of a
// provider, by consumer name.
func (c *Contracts) LatestPactsForProvider(provider string) []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]PactView, 0, len(c.byProvider[provider]))
	for _, ig := range c.byProvider[provider] {
		if p, ok := c.latest(ig); ok {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Consumer < out[j].Consumer })
	return out
}

// LatestPacts returns the latest pact of every integration, by consumer
// then provider name.
func (c *Contracts) LatestPacts() []PactView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []PactView
	for _, byProvider := range c.byConsumer {
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
	for _, byProvider := range c.byConsumer {
		out = c.appendIntegrations(out, byProvider)
	}
	sortIntegrations(out)
	return out
}

// IntegrationsOfConsumer lists the providers a consumer has pacts with.
func (c *Contracts) IntegrationsOfConsumer(consumer string) []IntegrationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := c.appendIntegrations(nil, c.byConsumer[consumer])
	sortIntegrations(out)
	return out
}

// IntegrationsOfProvider lists the consumers that have pacts with a
// provider.
func (c *Contracts) IntegrationsOfProvider(provider string) []IntegrationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := c.appendIntegrations(nil, c.byProvider[provider])
	sortIntegrations(out)
	return out
}

func (c *Contracts) appendIntegrations(out []IntegrationView, rows map[string]*integrationRow) []IntegrationView {
	for _, ig := range rows {
		out = append(out, integrationView(ig))
	}
	return out
}

// Integration returns one consumer→provider pair.
func (c *Contracts) Integration(consumer, provider string) (IntegrationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ig := c.byConsumer[consumer][provider]
	if ig == nil {
		return IntegrationView{}, false
	}
	return integrationView(ig), true
}

// integrationView fills the derived fields; it walks the pair's distinct
// contents (pact versions), not its pacts.
func integrationView(ig *integrationRow) IntegrationView {
	v := ig.view
	if n := len(ig.byOrder); n > 0 {
		v.LatestPactCreatedAt = ig.byOrder[n-1].view.CreatedAt
	}
	for _, pv := range ig.pactVersions {
		if len(pv.verifications) > 0 {
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
	return c.pactVersions[k] != nil
}

// PactVersion returns a pact version with the consumer versions that hold
// it, oldest first.
func (c *Contracts) PactVersion(k domain.PactVersionKey) (PactVersionView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return PactVersionView{}, false
	}
	v := pv.view
	v.ConsumerVersions, v.AllConsumerVersions = c.byOrder(k.Consumer, pv.latest), c.byOrder(k.Consumer, pv.refs)
	return v, true
}

// ConsumerVersionsWithLatestSHA lists the consumer versions whose latest
// pact for the provider has the content, oldest first: the versions a
// verification of the pact version applies to ("pre-verified" ones too).
func (c *Contracts) ConsumerVersionsWithLatestSHA(k domain.PactVersionKey) []string {
	v, _ := c.PactVersion(k)
	return v.ConsumerVersions
}

func (c *Contracts) byOrder(consumer string, set map[string]struct{}) []string {
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	orders := c.orders[consumer]
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(orders[a], orders[b]), cmp.Compare(a, b)) })
	return out
}
