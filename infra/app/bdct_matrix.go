package app

import (
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// bdctReader adds bi-directional results to the matrix reader: for a pact
// version and a provider version that holds an OpenAPI contract, the
// comparison of the two contents combined with the contract's
// self-verification (queries.ResultComparison). A verification result
// published by the same provider version takes precedence: a provider that
// ran the consumer's pact has tested more than a static comparison can.
//
// Hot path: for a provider without contracts every method costs one map
// lookup under a read lock.
type bdctReader struct {
	contracts *projections.ProviderContracts
	pacts     *projections.Contracts
	requester interface{ Request(domain.ComparisonKey) }
}

// result answers for one pact content and one provider version: ok is false
// when the provider version has no contract. A missing comparison is
// requested (it never blocks) and answered as pending.
func (b *bdctReader) result(sha, provider, providerVersion string) (queries.Verification, bool) {
	if b == nil || !b.contracts.HasContracts(provider) {
		return queries.Verification{}, false
	}
	c, ok := b.contracts.Contract(provider, providerVersion)
	if !ok {
		return queries.Verification{}, false
	}
	k := domain.ComparisonKey{PactSHA: sha, ContractSHA: c.SHA}
	cmp, done := b.contracts.Comparison(k)
	if !done {
		b.requester.Request(k)
		return queries.Verification{Kind: queries.ResultComparison, ProviderVersion: providerVersion, Pending: true,
			CreatedAt: c.CreatedAt, ExecutedAt: c.CreatedAt, Order: c.Position}, true
	}
	return comparisonResult(cmp, c), true
}

func comparisonResult(cmp projections.ComparisonView, c projections.ProviderContractView) queries.Verification {
	created := c.CreatedAt
	if cmp.CreatedAt.After(created) {
		created = cmp.CreatedAt
	}
	return queries.Verification{Kind: queries.ResultComparison, ProviderVersion: c.Version, Number: 1,
		Success: cmp.Success && c.SelfVerified(), ComparisonSuccess: cmp.Success, SelfVerified: c.SelfVerified(),
		CreatedAt: created, ExecutedAt: cmp.ComparedAt, Order: c.Position}
}

// completed lists the completed comparisons of a pact content with every
// provider version whose contract was compared with it, leaving out the
// provider versions in skip (those with verification results).
func (b *bdctReader) completed(sha, provider string, skip map[string]bool) []queries.Verification {
	if b == nil || !b.contracts.HasContracts(provider) {
		return nil
	}
	var out []queries.Verification
	for _, csha := range b.contracts.ContractsComparedWith(sha) {
		cmp, _ := b.contracts.Comparison(domain.ComparisonKey{PactSHA: sha, ContractSHA: csha})
		for _, v := range b.contracts.VersionsWithContract(provider, csha) {
			if c, ok := b.contracts.Contract(provider, v); ok && !skip[v] {
				out = append(out, comparisonResult(cmp, c))
			}
		}
	}
	return out
}

// comparedPactVersions lists the pact versions (consumer and content) whose
// comparison with the provider version's contract completed.
func (b *bdctReader) comparedPactVersions(provider, providerVersion string, out []queries.PactVersion) []queries.PactVersion {
	if b == nil || !b.contracts.HasContracts(provider) {
		return out
	}
	c, ok := b.contracts.Contract(provider, providerVersion)
	if !ok {
		return out
	}
	shas := b.contracts.PactsComparedWith(c.SHA)
	if len(shas) == 0 {
		return out
	}
	for _, ig := range b.pacts.IntegrationsOfProvider(provider) {
		for _, sha := range shas {
			pv := queries.PactVersion{Consumer: ig.Consumer, SHA: sha}
			if b.pacts.PactVersionExists(domain.PactVersionKey{Consumer: ig.Consumer, Provider: provider, SHA: sha}) && !containsPV(out, pv) {
				out = append(out, pv)
			}
		}
	}
	return out
}

func containsPV(list []queries.PactVersion, pv queries.PactVersion) bool {
	for _, x := range list {
		if x == pv {
			return true
		}
	}
	return false
}
