package httpapi

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

// selectMainBranch picks by the consumer's main branch (the selections of
// latestPact are the others).
const selectMainBranch = "main-branch"

// pactPicker returns the pacts one consumer holds for a provider that a
// list resource shows, oldest consumer version first.
type pactPicker func(consumer, provider string) []projections.PactView

// picker returns the pactPicker of a selection: every pact (selectLatest,
// no filter),
// those of versions with the tag name (selectTag), on the branch name
// (selectBranch) or on the consumer's main branch (selectMainBranch). With
// latest it keeps the newest; for branches that is the branch head's pact,
// none when the head has no pact for the provider (as the Pact Broker's
// branch_heads join). Each walks only the tag's or branch's versions.
func (a *API) picker(selection, name string, latest bool) pactPicker {
	switch selection {
	case selectTag:
		pick := func(consumer, provider string) []projections.PactView {
			return a.pactsOfVersions(consumer, provider, a.cfg.Catalog.VersionsWithTag(consumer, name))
		}
		if latest {
			return newestOf(pick)
		}
		return pick
	case selectBranch, selectMainBranch:
		return func(consumer, provider string) []projections.PactView {
			branch := name
			if selection == selectMainBranch {
				p, _ := a.cfg.Catalog.Pacticipant(consumer)
				if branch = p.MainBranch; branch == "" {
					return nil
				}
			}
			if latest {
				head, ok := a.cfg.Catalog.BranchHead(consumer, branch)
				if !ok {
					return nil
				}
				return a.pactsOfVersions(consumer, provider, []string{head})
			}
			return a.pactsOfVersions(consumer, provider, a.cfg.Catalog.BranchVersionNumbers(consumer, branch))
		}
	}
	if latest {
		return func(consumer, provider string) []projections.PactView {
			p, ok := a.cfg.Contracts.LatestPact(consumer, provider)
			if !ok {
				return nil
			}
			return []projections.PactView{p}
		}
	}
	return func(consumer, provider string) []projections.PactView {
		pacts := a.cfg.Contracts.PactsOfIntegration(consumer, provider)
		slices.Reverse(pacts) // newest first → oldest first
		return pacts
	}
}

// newestOf keeps the last (newest) pact pick returns.
func newestOf(pick pactPicker) pactPicker {
	return func(consumer, provider string) []projections.PactView {
		pacts := pick(consumer, provider)
		if len(pacts) == 0 {
			return nil
		}
		return pacts[len(pacts)-1:]
	}
}

// pactsOfVersions returns the pacts that the consumer's versions numbers
// hold for provider, oldest consumer version first.
func (a *API) pactsOfVersions(consumer, provider string, numbers []string) []projections.PactView {
	out := make([]projections.PactView, 0, len(numbers))
	for _, n := range numbers {
		if p, ok := a.cfg.Contracts.Pact(domain.PactKey{Consumer: consumer, Provider: provider, ConsumerVersion: n}); ok {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y projections.PactView) int {
		return cmp.Or(cmp.Compare(x.ConsumerVersionOrder, y.ConsumerVersionOrder), cmp.Compare(x.ConsumerVersion, y.ConsumerVersion))
	})
	return out
}

// knownPacticipants answers 404 unless every name is an application.
func (a *API) knownPacticipants(names ...string) error {
	for _, n := range names {
		if _, ok := a.cfg.Catalog.Pacticipant(n); !ok {
			return domain.NotFound("pacticipant %s", n)
		}
	}
	return nil
}

// selectionParams reads the provider (and, for a pair, consumer) path
// parameters and the tag or branch one the selection names. All are
// checked before the applications are looked up: a bad name is 400, an
// unknown application 404.
func (a *API) selectionParams(c echo.Context, selection string, pair bool) (provider, consumer, name string, err error) {
	apps := []string{"provider"}
	if pair {
		apps = append(apps, "consumer")
	}
	names := apps
	if selection == selectTag || selection == selectBranch {
		names = append(slices.Clip(apps), selection)
	}
	ps, err := params(c, names...)
	if err != nil {
		return "", "", "", err
	}
	if err := a.knownPacticipants(ps[:len(apps)]...); err != nil {
		return "", "", "", err
	}
	if pair {
		consumer = ps[1]
	}
	if len(ps) > len(apps) {
		name = ps[len(apps)]
	}
	return ps[0], consumer, name, nil
}

// providerPactList serves the provider pacts resources: for every consumer
// of the provider, the pacts the selection picks. /pacts/provider/P and
// /latest (selectLatest), /tag/{tag} and /latest/{tag} (selectTag),
// /branch/{branch}[/latest] (selectBranch), /branch[/latest]
// (selectMainBranch). The titles are the Pact Broker's.
func (a *API) providerPactList(selection string, latest bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		provider, _, name, err := a.selectionParams(c, selection, false)
		if err != nil {
			return err
		}
		pick := a.picker(selection, name, latest)
		var pacts []projections.PactView
		for _, ig := range a.cfg.Contracts.IntegrationsOfProvider(provider) {
			pacts = append(pacts, pick(ig.Consumer, provider)...)
		}
		// As the Pact Broker sorts them: by consumer name regardless of case,
		// then oldest consumer version first.
		slices.SortStableFunc(pacts, func(x, y projections.PactView) int {
			return cmp.Or(cmp.Compare(strings.ToLower(x.Consumer), strings.ToLower(y.Consumer)), cmp.Compare(x.Consumer, y.Consumer))
		})
		title := "All pact versions for the provider " + provider
		if latest {
			title = "Latest pact versions for the provider " + provider
		}
		switch selection {
		case selectTag:
			title += " with consumer version tag '" + name + "'"
		case selectBranch:
			title += " with consumer version branch '" + name + "'"
		case selectMainBranch:
			title += " for main branch"
		}
		return a.writeProviderPacts(c, provider, title, pacts)
	}
}

// writeProviderPacts renders a provider pacts resource: links to the pacts
// (and their deprecated duplicates), as the Pact Broker's
// ProviderPactsDecorator shapes them.
func (a *API) writeProviderPacts(c echo.Context, provider, title string, pacts []projections.PactView) error {
	pbPacts, deprecated := []Link{}, []Link{}
	for _, p := range pacts {
		href := a.pactHref(c, p.PactKey)
		pbPacts = append(pbPacts, Link{Href: href, Title: p.Name(), Name: p.Consumer})
		deprecated = append(deprecated, Link{Href: href, Title: "DEPRECATED - please use the pb:pacts relation. " + p.Name(), Name: p.Consumer})
	}
	providerHref := a.href(c, "pacticipants", provider)
	return hal(c, http.StatusOK, map[string]any{"_links": Links{
		"self":        Link{Href: a.selfHref(c), Title: title},
		"pb:provider": Link{Href: providerHref, Name: provider},
		"pb:pacts":    pbPacts,
		"provider":    Link{Href: providerHref, Title: provider, Name: "DEPRECATED - please use the pb:provider relation"},
		"pacts":       deprecated,
	}})
}

// pairPactList serves the pact version lists of a pair:
// /tag/{tag} (selectTag: newest first, the Pact Broker's tagged pact
// versions shape), /branch/{branch} (selectBranch) and /branch/versions
// (selectMainBranch), oldest first; with latest, /branch/{branch}/latest/versions
// and /branch/latest/versions: the branch head's pact, if it has one.
func (a *API) pairPactList(selection string, latest bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		provider, consumer, name, err := a.selectionParams(c, selection, true)
		if err != nil {
			return err
		}
		pacts := a.picker(selection, name, latest)(consumer, provider)
		list := pactVersionList{consumer: consumer, provider: provider}
		if selection == selectTag {
			slices.Reverse(pacts)
			list.tag = name
		}
		return a.writePactVersions(c, list, pacts)
	}
}

// pactVersionList names what a pact versions resource lists.
type pactVersionList struct {
	consumer, provider string
	// tag, when set, renders the Pact Broker's tagged pact versions shape
	// (pb: relations); otherwise its older pact versions shape.
	tag string
}

// writePactVersions renders the pact versions of a pair: each pact
// embedded with its consumer version, and links to them, as the Pact
// Broker's PactVersionsDecorator and TaggedPactVersionsDecorator shape them.
func (a *API) writePactVersions(c echo.Context, l pactVersionList, pacts []projections.PactView) error {
	items, links := []map[string]any{}, []Link{}
	linkTitle := "Pact"
	if l.tag != "" {
		linkTitle = "Pact version"
	}
	for _, p := range pacts {
		href := a.pactHref(c, p.PactKey)
		items = append(items, map[string]any{
			"createdAt": timestamp(p.CreatedAt),
			"_embedded": map[string]any{"consumerVersion": a.embeddedVersion(c, p.Consumer, p.ConsumerVersion)},
			"_links":    Links{"self": Link{Href: href, Title: p.Name()}},
		})
		// The Pact Broker's version_and_updated_date (it uses the server's
		// zone; pactledger's is UTC).
		name := "Version " + p.ConsumerVersion + " - " + p.CreatedAt.UTC().Format("02/01/2006")
		links = append(links, Link{Href: href, Title: linkTitle, Name: name})
	}
	title := "All versions of the pact between " + l.consumer + " and " + l.provider
	rels := [3]string{"consumer", "provider", "pact-versions"}
	if l.tag != "" {
		title += " with tag " + l.tag
		rels = [3]string{"pb:consumer", "pb:provider", "pb:pact-versions"}
	}
	return hal(c, http.StatusOK, map[string]any{"_embedded": map[string]any{"pacts": items}, "_links": Links{
		"self":  Link{Href: a.selfHref(c), Title: title},
		rels[0]: Link{Href: a.href(c, "pacticipants", l.consumer), Title: "Consumer", Name: l.consumer},
		rels[1]: Link{Href: a.href(c, "pacticipants", l.provider), Title: "Provider", Name: l.provider},
		rels[2]: links,
	}})
}
