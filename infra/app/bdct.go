package app

import (
	"github.com/pactledger/pactledger/infra/httpapi"
)

// newBDCT builds the parts of bi-directional contract testing that the
// runner needs: the provider contracts read model and the comparison pool
// (a projector too, for pre-generation). The pool starts with the runner.
func (a *App) newBDCT(opts Options) {
	if opts.Comparator == nil {
		opts.Comparator = defaultComparator()
	}
	a.comparisons = newComparisonPool(opts, a)
}

func (a *App) bdctReader() *bdctReader {
	return &bdctReader{contracts: a.ProviderContracts, pacts: a.Contracts, requester: a.comparisons}
}

func (a *App) bdctAPI() *httpapi.BDCT {
	return &httpapi.BDCT{Contracts: a.ProviderContracts, Request: a.comparisons.Request}
}
