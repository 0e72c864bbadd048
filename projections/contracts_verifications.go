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
	pv := c.pactVersions[k]
	if pv == nil {
		return nil
	}
	out := make([]VerificationView, len(pv.verifications))
	for i := range pv.verifications {
		out[i] = pv.verifications[i].view(pv.view.PactVersionKey)
	}
	return out
}

// Verification returns a pact version's result by number.
func (c *Contracts) Verification(k domain.PactVersionKey, number int) (VerificationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return VerificationView{}, false
	}
	i, found := slices.BinarySearchFunc(pv.verifications, number, func(v verification, n int) int { return cmp.Compare(int(v.number), n) })
	if !found {
		return VerificationView{}, false
	}
	return pv.verifications[i].view(pv.view.PactVersionKey), true
}

// LatestVerification returns a pact version's most recent result, by any
// provider version.
func (c *Contracts) LatestVerification(k domain.PactVersionKey) (VerificationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil || len(pv.verifications) == 0 {
		return VerificationView{}, false
	}
	return pv.verifications[len(pv.verifications)-1].view(pv.view.PactVersionKey), true
}

// LatestVerificationFor returns the most recent result a provider version
// published for a pact version: the matrix's cell for (pact version,
// provider version).
func (c *Contracts) LatestVerificationFor(k domain.PactVersionKey, providerVersion string) (VerificationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return VerificationView{}, false
	}
	v := pv.latestOf(providerVersion)
	if v == nil {
		return VerificationView{}, false
	}
	return v.view(pv.view.PactVersionKey), true
}

// LatestVerificationsByProviderVersion returns, for a pact version, the most
// recent result of each provider version that verified it, by number.
func (c *Contracts) LatestVerificationsByProviderVersion(k domain.PactVersionKey) []VerificationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return nil
	}
	out := make([]VerificationView, 0, len(pv.latestByPV))
	for _, i := range pv.latestByPV {
		out = append(out, pv.verifications[i].view(pv.view.PactVersionKey))
	}
	slices.SortFunc(out, func(a, b VerificationView) int { return cmp.Compare(a.Number, b.Number) })
	return out
}

// PactVersionsVerifiedBy lists the pact versions a provider version has
// published results for, by consumer then SHA.
func (c *Contracts) PactVersionsVerifiedBy(provider, providerVersion string) []domain.PactVersionKey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	rows := c.verifiedBy[versionKey{provider, providerVersion}]
	out := make([]domain.PactVersionKey, len(rows))
	for i, pv := range rows {
		out[i] = pv.view.PactVersionKey
	}
	slices.SortFunc(out, func(a, b domain.PactVersionKey) int {
		return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.SHA, b.SHA))
	})
	return out
}
