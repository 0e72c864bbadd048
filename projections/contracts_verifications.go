package projections

import (
	"cmp"
	"slices"

	"github.com/pactledger/pactledger/domain"
)

// Verifications lists a pact version's results by number.
func (c *Contracts) Verifications(k domain.PactVersionKey) []VerificationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pvOf(k)
	if id < 0 {
		return nil
	}
	pv := &c.pvs[id]
	out := make([]VerificationView, len(pv.results))
	for i := range pv.results {
		out[i] = c.verificationView(pv.key, &pv.results[i])
	}
	return out
}

// Verification returns a pact version's result by number.
func (c *Contracts) Verification(k domain.PactVersionKey, number int) (VerificationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pvOf(k)
	if id < 0 {
		return VerificationView{}, false
	}
	pv := &c.pvs[id]
	i, found := slices.BinarySearchFunc(pv.results, number, func(v verification, n int) int { return cmp.Compare(int(v.number), n) })
	if !found {
		return VerificationView{}, false
	}
	return c.verificationView(pv.key, &pv.results[i]), true
}

// LatestVerification returns a pact version's most recent result, by any
// provider version.
func (c *Contracts) LatestVerification(k domain.PactVersionKey) (VerificationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pvOf(k)
	if id < 0 || len(c.pvs[id].results) == 0 {
		return VerificationView{}, false
	}
	pv := &c.pvs[id]
	return c.verificationView(pv.key, &pv.results[len(pv.results)-1]), true
}

// LatestVerificationFor returns the most recent result a provider version
// published for a pact version: the matrix's cell for (pact version,
// provider version).
func (c *Contracts) LatestVerificationFor(k domain.PactVersionKey, providerVersion string) (VerificationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv, v := c.latestFor(k, providerVersion)
	if v == nil {
		return VerificationView{}, false
	}
	return c.verificationView(pv.key, v), true
}

// LatestVerificationsByProviderVersion returns, for a pact version, the most
// recent result of each provider version that verified it, by number.
func (c *Contracts) LatestVerificationsByProviderVersion(k domain.PactVersionKey) []VerificationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pvOf(k)
	if id < 0 {
		return nil
	}
	pv := &c.pvs[id]
	out := make([]VerificationView, 0, len(pv.latest))
	for _, l := range pv.latest {
		out = append(out, c.verificationView(pv.key, &pv.results[l.result]))
	}
	slices.SortFunc(out, func(a, b VerificationView) int { return cmp.Compare(a.Number, b.Number) })
	return out
}

// PactVersionsVerifiedBy lists the pact versions a provider version has
// published results for, by consumer then SHA.
func (c *Contracts) PactVersionsVerifiedBy(provider, providerVersion string) []domain.PactVersionKey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	vid := c.versionOf(provider, providerVersion)
	if vid < 0 {
		return []domain.PactVersionKey{}
	}
	var out []domain.PactVersionKey
	for l := c.vers[vid].verified; l >= 0; l = c.links[l].next {
		out = append(out, c.pvKeyOf(c.pvs[c.links[l].pv].key))
	}
	if out == nil {
		out = []domain.PactVersionKey{}
	}
	slices.SortFunc(out, func(a, b domain.PactVersionKey) int {
		return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.SHA, b.SHA))
	})
	return out
}
