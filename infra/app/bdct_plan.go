package app

import (
	"slices"
	"time"

	"github.com/pactledger/pactledger/domain"
)

// Pre-generation (reference/bdct.md §3.3). When a pact or a provider
// contract is published, the comparisons between it and the contracts of
// the integrated applications are requested for
//  1. the versions deployed or released (and supported) in any environment,
//  2. the head of the main branch,
//  3. the heads of feature branches updated within the last recentDays days
//     (at most maxRecentBranches per application, the most recent first).
//
// Everything else is compared on demand, when the matrix or can-i-deploy
// needs it.

// planPact requests the comparisons of a pact content with the contracts of
// the provider's target versions.
func (p *comparisonPool) planPact(t trigger, cache map[string][]string) {
	if !p.contracts.HasContracts(t.provider) {
		return
	}
	for _, v := range p.cachedTargets(t.provider, cache) {
		if c, ok := p.contracts.Contract(t.provider, v); ok {
			p.Request(domain.ComparisonKey{PactSHA: t.sha, ContractSHA: c.SHA})
		}
	}
}

// planContract requests the comparisons of a contract content with the
// pacts that the target versions of each consumer hold for the provider.
func (p *comparisonPool) planContract(t trigger, cache map[string][]string) {
	for _, ig := range p.pacts.IntegrationsOfProvider(t.provider) {
		for _, v := range p.cachedTargets(ig.Consumer, cache) {
			if pact, ok := p.pacts.Pact(domain.PactKey{Consumer: ig.Consumer, Provider: t.provider, ConsumerVersion: v}); ok {
				p.Request(domain.ComparisonKey{PactSHA: pact.SHA, ContractSHA: t.sha})
			}
		}
	}
}

// cachedTargets is targetVersions, computed once per planning batch.
func (p *comparisonPool) cachedTargets(pacticipant string, cache map[string][]string) []string {
	if vs, ok := cache[pacticipant]; ok {
		return vs
	}
	vs := p.targetVersions(pacticipant)
	cache[pacticipant] = vs
	return vs
}

// targetVersions lists an application's versions that pre-generation
// compares against, each once.
func (p *comparisonPool) targetVersions(pacticipant string) []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	for _, env := range p.catalog.Environments() {
		deployed, released := p.deployments.LiveVersions(env.UUID, pacticipant)
		add(deployed...)
		add(released...)
	}
	info, _ := p.catalog.Pacticipant(pacticipant)
	if info.MainBranch != "" {
		head, _ := p.catalog.BranchHead(pacticipant, info.MainBranch)
		add(head)
	}
	since := p.now().Add(-time.Duration(p.recentDays) * 24 * time.Hour)
	recent := 0
	for _, b := range p.catalog.Branches(pacticipant) { // most recently updated first
		if recent == maxRecentBranches || b.UpdatedAt.Before(since) {
			break
		}
		if b.Name != info.MainBranch {
			add(b.Head)
			recent++
		}
	}
	return out
}
