package queries

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pactledger/pactledger/domain"
)

// VerifiablePact is one entry of the pacts-for-verification answer: a pact
// version (consumer, provider, content) with every selector that chose it.
type VerifiablePact struct {
	// PactRef is the pact of the newest consumer version among those the
	// selectors chose; its SHA names the pact version to verify.
	PactRef
	ConsumerMainBranch string // for "latest version from the main branch 'main'"
	// Selectors that chose the content, in the Pact Broker's order.
	Selectors []VerificationSelector
	// Pending is meaningful when the request included the pending status
	// (WIP pacts are always pending).
	Pending bool
	// PendingProviderTags and NonPendingProviderTags split the request's
	// provider tags when no provider branch was given.
	PendingProviderTags, NonPendingProviderTags []string
	ProviderBranch                              string // the request's providerVersionBranch
	WIP                                         bool
}

// VerificationSelector is a selector resolved to the consumer version it
// chose. Resolution keeps FallbackTag / FallbackBranch only when the pact
// was found through them, and turns branch:true into one selector per
// branch (Branch set, AllBranches kept).
type VerificationSelector struct {
	ConsumerVersionSelector
	ConsumerVersion      string
	ConsumerVersionOrder uint64
	// InEnvironment is where a deployed, released or environment selector
	// found the version.
	InEnvironment EnvironmentRef
}

// PactsForVerification answers POST /pacts/provider/{p}/for-verification:
// the pacts selected by req's selectors (or the default selectors), merged
// by pact version, with their pending status, then the WIP pacts.
//
// Cost: for each consumer of the provider, one lookup per selector (branch
// and tag heads, the latest pact, the versions in each environment), or one
// per tagged version for a tag selector without latest; then the successful
// results of each selected pact version for the pending status. WIP reads
// every branch and tag head of every consumer. Never a walk over an
// application's versions. Errors: not found when the provider does not
// exist.
func PactsForVerification(r PactsForVerificationReader, req PactsForVerificationRequest) ([]VerifiablePact, error) {
	if _, ok := r.Application(req.Provider); !ok {
		return nil, domain.NotFound("provider %s", req.Provider)
	}
	consumers := r.Consumers(req.Provider)
	slices.Sort(consumers)
	pacts := fvMerge(r, fvSelect(r, req, consumers))
	provider := newFVProvider(r, req)
	for i := range pacts {
		pacts[i].ProviderBranch = req.ProviderVersionBranch
		if req.IncludePendingStatus {
			provider.setPending(&pacts[i])
		}
	}
	if req.IncludeWIPPactsSince != nil && (req.ProviderVersionBranch != "" || len(req.ProviderVersionTags) > 0) {
		pacts = append(pacts, provider.wip(consumers, *req.IncludeWIPPactsSince, pacts)...)
	}
	return pacts, nil
}

// fvSelected is one pact chosen by one resolved selector.
type fvSelected struct {
	pact PactRef
	sel  VerificationSelector
}

// fvMerge merges the selections by pact version (consumer and content):
// one entry per content, represented by its newest consumer version, its
// selectors sorted; entries sorted by consumer, provider and version order.
func fvMerge(r PactsForVerificationReader, selected []fvSelected) []VerifiablePact {
	index := map[[2]string]int{}
	var out []VerifiablePact
	for _, s := range selected {
		k := [2]string{s.pact.Consumer, s.pact.SHA}
		i, ok := index[k]
		if !ok {
			i, index[k] = len(out), len(out)
			out = append(out, VerifiablePact{PactRef: s.pact})
		}
		if s.pact.Order > out[i].Order {
			out[i].PactRef = s.pact
		}
		out[i].Selectors = append(out[i].Selectors, s.sel)
	}
	mains := map[string]string{}
	for i := range out {
		slices.SortStableFunc(out[i].Selectors, fvCompareSelectors)
		main, ok := mains[out[i].Consumer]
		if !ok {
			main, _ = r.Application(out[i].Consumer)
			mains[out[i].Consumer] = main
		}
		out[i].ConsumerMainBranch = main
	}
	fvSortPacts(out)
	return out
}

// fvSortPacts orders entries as the Pact Broker does: by consumer and
// provider name ignoring case, then consumer version order.
func fvSortPacts(ps []VerifiablePact) {
	slices.SortStableFunc(ps, func(a, b VerifiablePact) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Consumer), strings.ToLower(b.Consumer)),
			strings.Compare(strings.ToLower(a.Provider), strings.ToLower(b.Provider)), cmp.Compare(a.Order, b.Order))
	})
}

// fvCompareSelectors is the Pact Broker's selector order (Selector#<=> and
// ResolvedSelector#<=>): overall latest first, then branch heads by branch,
// tag heads by tag, all-for-tag by tag and consumer, deployed then released
// (non-production environments first, then by name), then by consumer, and
// finally by consumer version order.
func fvCompareSelectors(a, b VerificationSelector) int {
	c := 0
	switch {
	case a.overallLatest() || b.overallLatest():
		c = fvPrefer(a.overallLatest(), b.overallLatest())
	case a.latestForBranch() || b.latestForBranch():
		c = fvPreferThen(a.latestForBranch(), b.latestForBranch(), func() int { return strings.Compare(a.Branch, b.Branch) })
	case a.latestForTag() || b.latestForTag():
		c = fvPreferThen(a.latestForTag(), b.latestForTag(), func() int { return strings.Compare(a.Tag, b.Tag) })
	case a.Tag != "" || b.Tag != "":
		c = fvPreferThen(a.Tag != "", b.Tag != "", func() int {
			return cmp.Or(strings.Compare(a.Tag, b.Tag), fvCompareConsumers(a, b))
		})
	case a.Deployed || b.Deployed:
		c = fvPreferThen(a.Deployed, b.Deployed, func() int { return fvCompareEnvironments(a, b) })
	case a.Released || b.Released:
		c = fvPreferThen(a.Released, b.Released, func() int { return fvCompareEnvironments(a, b) })
	default:
		c = fvCompareConsumers(a, b)
	}
	return cmp.Or(c, cmp.Compare(a.ConsumerVersionOrder, b.ConsumerVersionOrder))
}

// fvPrefer puts the one with the property first.
func fvPrefer(x, y bool) int {
	switch {
	case x == y:
		return 0
	case x:
		return -1
	}
	return 1
}

// fvPreferThen compares with then when both have the property.
func fvPreferThen(x, y bool, then func() int) int {
	if x && y {
		return then()
	}
	return fvPrefer(x, y)
}

func fvCompareConsumers(a, b VerificationSelector) int {
	return fvPreferThen(a.Consumer != "", b.Consumer != "", func() int { return strings.Compare(a.Consumer, b.Consumer) })
}

func fvCompareEnvironments(a, b VerificationSelector) int {
	return cmp.Or(-fvPrefer(a.InEnvironment.Production, b.InEnvironment.Production),
		strings.Compare(a.InEnvironment.Name, b.InEnvironment.Name))
}
