package httpapi

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

// versionFilter picks consumer versions by their catalog entry.
type versionFilter func(projections.VersionView) bool

func withTag(tag string) versionFilter {
	return func(v projections.VersionView) bool {
		return slices.ContainsFunc(v.Tags, func(m projections.Membership) bool { return m.Name == tag })
	}
}

func untagged(v projections.VersionView) bool { return len(v.Tags) == 0 }

func onBranch(branch string) versionFilter {
	return func(v projections.VersionView) bool {
		return slices.ContainsFunc(v.Branches, func(m projections.Membership) bool { return m.Name == branch })
	}
}

// latestPactWhere returns the pair's newest pact (by consumer version order)
// whose consumer version passes keep; nil keep takes the newest. It walks
// the pair's pacts from the newest and stops at the first match.
func (a *API) latestPactWhere(consumer, provider string, keep versionFilter) (projections.PactView, bool) {
	if keep == nil {
		return a.cfg.Contracts.LatestPact(consumer, provider)
	}
	for _, p := range a.cfg.Contracts.PactsOfIntegration(consumer, provider) {
		if v, ok := a.cfg.Catalog.Version(p.Consumer, p.ConsumerVersion); ok && keep(v) {
			return p, true
		}
	}
	return projections.PactView{}, false
}

// Selections of latestPact.
const (
	selectLatest   = ""
	selectTag      = "tag"
	selectBranch   = "branch"
	selectUntagged = "untagged"
)

// latestPact serves /pacts/provider/P/consumer/C/latest (selectLatest),
// /latest/{tag} (selectTag), /branch/{branch}/latest (selectBranch) and
// /latest-untagged (selectUntagged).
func (a *API) latestPact(selection string) echo.HandlerFunc {
	return func(c echo.Context) error {
		names := []string{"provider", "consumer"}
		if selection == selectTag || selection == selectBranch {
			names = append(names, selection)
		}
		ps, err := params(c, names...)
		if err != nil {
			return err
		}
		keep := map[string]versionFilter{selectUntagged: untagged}[selection]
		switch selection {
		case selectTag:
			keep = withTag(ps[2])
		case selectBranch:
			keep = onBranch(ps[2])
		}
		p, ok := a.latestPactWhere(ps[1], ps[0], keep)
		if !ok {
			return domain.NotFound("latest pact between %s and %s", ps[1], ps[0])
		}
		// The Pact Broker names the consumer version of a latest pact in a header.
		c.Response().Header().Set("X-Pact-Consumer-Version", p.ConsumerVersion)
		return a.writePact(c, http.StatusOK, p, "")
	}
}

// pactPacticipantJSON is a consumer or provider inside a pacts list item.
func (a *API) pactPacticipantJSON(c echo.Context, name, version string) map[string]any {
	out := map[string]any{"name": name, "_links": Links{"self": Link{Href: a.href(c, "pacticipants", name)}}}
	if version != "" {
		out["_embedded"] = map[string]any{"version": a.embeddedVersion(c, name, version)}
	}
	return out
}

// embeddedVersion is a version as other resources embed it.
func (a *API) embeddedVersion(c echo.Context, pacticipant, number string) map[string]any {
	return map[string]any{"number": number, "_links": Links{"self": Link{Title: "Version", Name: number,
		Href: a.href(c, "pacticipants", pacticipant, "versions", number)}}}
}

// latestPacts serves /pacts/latest: the latest pact of every integration,
// with the nested names, version numbers and createdAt the CLI requires.
func (a *API) latestPacts(c echo.Context) error {
	items, pbPacts, deprecated := []map[string]any{}, []Link{}, []Link{}
	for _, p := range a.cfg.Contracts.LatestPacts() {
		latestHref := a.pactBase(c, p.Consumer, p.Provider) + "/latest"
		title := "Latest pact between " + p.Consumer + " and " + p.Provider
		items = append(items, map[string]any{
			"createdAt": timestamp(p.CreatedAt),
			"_embedded": map[string]any{
				"consumer": a.pactPacticipantJSON(c, p.Consumer, p.ConsumerVersion),
				"provider": a.pactPacticipantJSON(c, p.Provider, ""),
			},
			"_links": Links{"self": []Link{{Href: latestHref}, {Href: a.pactHref(c, p.PactKey)}}},
		})
		pbPacts = append(pbPacts, Link{Href: latestHref, Title: title})
		deprecated = append(deprecated, Link{Href: latestHref, Title: title, Name: "DEPRECATED - please use the pb:pacts relation"})
	}
	return hal(c, http.StatusOK, map[string]any{"pacts": items, "_links": Links{
		"self":     Link{Href: a.href(c, "pacts", "latest")},
		"pb:pacts": pbPacts,
		"pacts":    deprecated,
		"curies":   []Link{{Name: "pb", Href: a.template(c, "/doc/{rel}?context=pacts"), Templated: true}},
	}})
}

// pactVersions serves /pacts/provider/P/consumer/C/versions: every pact of
// the pair, newest consumer version first; 404 when there is none.
func (a *API) pactVersions(c echo.Context) error {
	ps, err := params(c, "provider", "consumer")
	if err != nil {
		return err
	}
	provider, consumer := ps[0], ps[1]
	pacts := a.cfg.Contracts.PactsOfIntegration(consumer, provider)
	if len(pacts) == 0 {
		return domain.NotFound("pacts between %s and %s", consumer, provider)
	}
	return a.writePactVersions(c, pactVersionList{consumer: consumer, provider: provider}, pacts)
}
