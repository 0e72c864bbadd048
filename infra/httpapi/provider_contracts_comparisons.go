package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// comparisonHref is the cross-contract verification result of a pact
// version and a provider version (bdct.md §1.3); matrix rows of
// bi-directional results link to it.
func (a *API) comparisonHref(c echo.Context, provider, providerVersion, consumer, sha string) string {
	return a.href(c, "contracts", "provider", provider, "version", providerVersion, "consumer", consumer,
		"pact-version", sha, "verification-results")
}

// listComparisons serves a provider contract's completed comparisons with
// the pacts of its consumers.
func (a *API) listComparisons(c echo.Context) error {
	names, err := params(c, "provider", "version")
	if err != nil {
		return err
	}
	provider, version := names[0], names[1]
	pc, ok := a.cfg.BDCT.Contracts.Contract(provider, version)
	if !ok {
		return domain.NotFound("provider contract of %s version %s", provider, version)
	}
	shas := a.cfg.BDCT.Contracts.PactsComparedWith(pc.SHA)
	items := []map[string]any{}
	for _, ig := range a.cfg.Contracts.IntegrationsOfProvider(provider) {
		for _, sha := range shas {
			pv, ok := a.cfg.Contracts.PactVersion(domain.PactVersionKey{Consumer: ig.Consumer, Provider: provider, SHA: sha})
			if !ok {
				continue
			}
			cmp, _ := a.cfg.BDCT.Contracts.Comparison(domain.ComparisonKey{PactSHA: sha, ContractSHA: pc.SHA})
			items = append(items, map[string]any{"consumerName": ig.Consumer, "pactVersionSha": sha,
				"consumerVersionNumbers": pv.ConsumerVersions, "comparisonSuccess": cmp.Success,
				"success": cmp.Success && pc.SelfVerified(), "mismatchCount": len(cmp.Mismatches) + cmp.Truncated,
				"_links": Links{"self": Link{Href: a.comparisonHref(c, provider, version, ig.Consumer, sha)}}})
		}
	}
	return hal(c, http.StatusOK, map[string]any{"comparisons": items,
		"_links": Links{"self": Link{Href: a.providerContractHref(c, provider, version) + "/comparisons"},
			"pf:provider-contract": Link{Href: a.providerContractHref(c, provider, version)}}})
}

// getComparison serves the comparison of a pact version with a provider
// version's contract: the summary (comparison and self-verification), each
// mismatch as openapi-pact-comparator reports it plus a readable
// description, and the self-verification evidence. A comparison that has
// not completed is requested and answered with a null success.
func (a *API) getComparison(c echo.Context) error {
	names, err := params(c, "provider", "version", "consumer", "sha")
	if err != nil {
		return err
	}
	provider, version, consumer, sha := names[0], names[1], names[2], names[3]
	pc, ok := a.cfg.BDCT.Contracts.Contract(provider, version)
	if !ok {
		return domain.NotFound("provider contract of %s version %s", provider, version)
	}
	if !a.cfg.Contracts.PactVersionExists(domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}) {
		return domain.NotFound("pact version %s between %s and %s", sha, consumer, provider)
	}
	k := domain.ComparisonKey{PactSHA: sha, ContractSHA: pc.SHA}
	self := Links{"self": Link{Href: a.comparisonHref(c, provider, version, consumer, sha)},
		"pf:provider-contract": Link{Href: a.providerContractHref(c, provider, version)},
		"pb:pact-version":      Link{Href: a.pactVersionHref(c, domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}, "")}}
	svJSON := selfVerificationJSON(pc)
	cmp, done := a.cfg.BDCT.Contracts.Comparison(k)
	if !done {
		a.cfg.BDCT.Request(k)
		return hal(c, http.StatusOK, map[string]any{
			"summary":                             map[string]any{"success": nil, "inProgress": true},
			"crossContractVerificationResults":    nil,
			"providerContractVerificationResults": svJSON, "_links": self})
	}
	return hal(c, http.StatusOK, map[string]any{
		"summary":                             map[string]any{"success": cmp.Success && pc.SelfVerified(), "inProgress": false},
		"crossContractVerificationResults":    crossContractJSON(cmp, consumer, provider),
		"providerContractVerificationResults": svJSON,
		"_links":                              self,
	})
}

// crossContractJSON renders a comparison in PactFlow's shape, each result
// with its readable description.
func crossContractJSON(cmp projections.ComparisonView, consumer, provider string) map[string]any {
	errs, warns := []map[string]any{}, []map[string]any{}
	for _, m := range domain.MismatchesOf(cmp.Mismatches) {
		r := map[string]any{"code": m.Code, "type": m.Type, "message": m.Message, "description": domain.DescribeMismatch(m),
			"mockDetails": map[string]any{"interactionDescription": m.Interaction, "interactionState": stateOrNone(m.State),
				"location": m.PactLocation, "value": rawOrNil(m.PactValue)},
			"specDetails": map[string]any{"location": m.SpecLocation, "pathMethod": optional(m.SpecPathMethod),
				"pathName": optional(m.SpecPathName), "value": rawOrNil(m.SpecValue)}}
		if m.Type == domain.MismatchError {
			errs = append(errs, r)
		} else {
			warns = append(warns, r)
		}
	}
	out := map[string]any{"success": cmp.Success, "results": map[string]any{"errors": errs, "warnings": warns},
		"verificationDate": timestamp(cmp.ComparedAt), "verifier": "pactledger", "verifierVersion": cmp.Engine}
	if cmp.Truncated > 0 {
		out["truncatedResults"] = cmp.Truncated
	}
	if !cmp.Success {
		out["failureReason"] = "The pact of " + consumer + " is not compatible with the OpenAPI contract of " + provider
	}
	return out
}

func stateOrNone(s string) string {
	if s == "" {
		return "[none]"
	}
	return s
}

func rawOrNil(v json.RawMessage) any {
	if len(v) == 0 {
		return nil
	}
	return v
}

// comparisonResultJSON renders a bi-directional matrix row's result, linked
// to its comparison resource; nil while the comparison has not completed
// (the row is unknown, as the CLI expects: verificationResult null).
func comparisonResultJSON(row queries.Row, v *queries.Verification, href func(...string) string) *MatrixVerification {
	if v.Pending || row.ProviderVersion == nil {
		return nil
	}
	return &MatrixVerification{Success: v.Success, VerifiedAt: timestamp(v.ExecutedAt),
		Links: selfLink(href("contracts", "provider", row.Provider, "version", row.ProviderVersion.Number, "consumer", row.Consumer,
			"pact-version", row.Pact.SHA, "verification-results"))}
}
