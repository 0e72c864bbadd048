package projections

import (
	"cmp"
	"slices"

	"github.com/pactledger/pactledger/domain"
)

// copyVerification copies a result; its JSON stays shared (read-only).
func copyVerification(v *VerificationView) VerificationView {
	out := *v
	if v.VerifiedBy != nil {
		by := *v.VerifiedBy
		out.VerifiedBy = &by
	}
	return out
}

// Verifications lists a pact version's results by number.
func (c *Contracts) Verifications(k domain.PactVersionKey) []VerificationView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return nil
	}
	out := make([]VerificationView, len(pv.verifications))
	for i, v := range pv.verifications {
		out[i] = copyVerification(v)
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
	i, found := slices.BinarySearchFunc(pv.verifications, number, func(v *VerificationView, n int) int { return cmp.Compare(v.Number, n) })
	if !found {
		return VerificationView{}, false
	}
	return copyVerification(pv.verifications[i]), true
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
	return copyVerification(pv.verifications[len(pv.verifications)-1]), true
}

// LatestVerificationFor returns the most recent result a provider version
// published for a pact version: the matrix's cell for (pact version,
// provider version).
func (c *Contracts) LatestVerificationFor(k domain.PactVersionKey, providerVersion string) (VerificationView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil || pv.latestByPV[providerVersion] == nil {
		return VerificationView{}, false
	}
	return copyVerification(pv.latestByPV[providerVersion]), true
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
	for _, v := range pv.latestByPV {
		out = append(out, copyVerification(v))
	}
	slices.SortFunc(out, func(a, b VerificationView) int { return cmp.Compare(a.Number, b.Number) })
	return out
}

// PactVersionsVerifiedBy lists the pact versions a provider version has
// published results for, by consumer then SHA.
func (c *Contracts) PactVersionsVerifiedBy(provider, providerVersion string) []domain.PactVersionKey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	set := c.verifiedBy[versionKey{provider, providerVersion}]
	out := make([]domain.PactVersionKey, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b domain.PactVersionKey) int {
		return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.SHA, b.SHA))
	})
	return out
}
