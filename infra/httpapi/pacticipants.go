package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

type pacticipantJSON struct {
	Name                string         `json:"name"`
	DisplayName         string         `json:"displayName"`
	RepositoryURL       *string        `json:"repositoryUrl,omitempty"`
	RepositoryName      *string        `json:"repositoryName,omitempty"`
	RepositoryNamespace *string        `json:"repositoryNamespace,omitempty"`
	MainBranch          *string        `json:"mainBranch,omitempty"`
	CreatedAt           string         `json:"createdAt"`
	UpdatedAt           *string        `json:"updatedAt,omitempty"`
	Embedded            map[string]any `json:"_embedded,omitempty"`
	Links               Links          `json:"_links"`
}

func (a *API) pacticipantJSON(c echo.Context, p projections.PacticipantView) pacticipantJSON {
	self := a.href(c, "pacticipants", p.Name)
	display := p.DisplayName
	if display == "" {
		display = domain.DisplayName(p.Name)
	}
	out := pacticipantJSON{
		Name: p.Name, DisplayName: display, RepositoryURL: optional(p.RepositoryURL),
		RepositoryName: optional(p.RepositoryName), RepositoryNamespace: optional(p.RepositoryNamespace),
		MainBranch: optional(p.MainBranch), CreatedAt: timestamp(p.CreatedAt), UpdatedAt: updatedAt(p.CreatedAt, p.UpdatedAt),
		Links: Links{
			"self":              Link{Href: self},
			"pb:versions":       Link{Href: self + "/versions"},
			"pb:branches":       Link{Href: self + "/branches"},
			"pb:version":        Link{Title: "Get, create or delete a pacticipant version", Href: self + "/versions/{version}", Templated: true},
			"pb:version-tag":    Link{Title: "Get, create or delete a tag for a version", Href: self + "/versions/{version}/tags/{tag}", Templated: true},
			"pb:branch-version": Link{Title: "Get or add/create a version for a branch", Href: self + "/branches/{branch}/versions/{version}", Templated: true},
			"versions":          Link{Title: "Deprecated - use pb:versions", Href: self + "/versions"},
			"pb:deployed-environments": a.deployedEnvironmentLinks(c, projections.DeploymentFilter{
				Pacticipant: p.Name, CurrentOnly: true}),
		},
	}
	if p.LatestVersion != "" {
		latest := map[string]any{"number": p.LatestVersion, "_links": Links{"self": Link{
			Title: "Version", Name: p.LatestVersion, Href: a.href(c, "pacticipants", p.Name, "versions", p.LatestVersion)}}}
		deprecated := map[string]any{"number": p.LatestVersion, "title": "DEPRECATED - please use latestVersion",
			"name": "DEPRECATED - please use latestVersion", "_links": latest["_links"]}
		out.Embedded = map[string]any{"latestVersion": latest, "latest-version": deprecated}
	}
	return out
}

// pacticipantPatch decodes a pacticipant body. name, when given, must match
// the name in the path.
func pacticipantPatch(c echo.Context, allowed ...string) (name *string, patch domain.PacticipantPatch, err error) {
	b, err := readBody(c, false, allowed...)
	if err != nil {
		return nil, patch, err
	}
	name = b.str("name", false)
	patch = domain.PacticipantPatch{
		DisplayName: b.str("displayName", false), RepositoryURL: b.str("repositoryUrl", false),
		RepositoryName: b.str("repositoryName", false), RepositoryNamespace: b.str("repositoryNamespace", false),
		MainBranch: b.str("mainBranch", false),
	}
	return name, patch, b.err()
}

func (a *API) listPacticipants(c echo.Context) error {
	items, links := []pacticipantJSON{}, []Link{}
	for _, p := range a.cfg.Catalog.Pacticipants() {
		items = append(items, a.pacticipantJSON(c, p))
		links = append(links, Link{Title: p.Name, Name: p.Name, Href: a.href(c, "pacticipants", p.Name)})
	}
	return hal(c, http.StatusOK, map[string]any{
		"pacticipants": items,
		"_embedded":    map[string]any{"pacticipants": items},
		"_links":       Links{"self": Link{Href: a.selfHref(c)}, "pb:pacticipants": links, "pacticipants": links},
	})
}

func (a *API) createPacticipant(c echo.Context) error {
	name, patch, err := pacticipantPatch(c, mediaJSON)
	if err != nil {
		return err
	}
	if name == nil {
		return domain.Invalid("name", "is missing")
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.CreatePacticipant(ctx, *name, patch); err != nil {
		return err
	}
	p, _ := a.cfg.Catalog.Pacticipant(*name)
	// The Pact Broker's Location really says "pacticpants"; clients assert it.
	return created(c, a.href(c, "pacticpants", *name), a.pacticipantJSON(c, p))
}

func (a *API) pacticipantParam(c echo.Context) (projections.PacticipantView, error) {
	ps, err := params(c, "pacticipant")
	if err != nil {
		return projections.PacticipantView{}, err
	}
	p, ok := a.cfg.Catalog.Pacticipant(ps[0])
	if !ok {
		return p, domain.NotFound("pacticipant %s", ps[0])
	}
	return p, nil
}

func (a *API) getPacticipant(c echo.Context) error {
	p, err := a.pacticipantParam(c)
	if err != nil {
		return err
	}
	return hal(c, http.StatusOK, a.pacticipantJSON(c, p))
}

func (a *API) replacePacticipant(c echo.Context) error {
	p, err := a.pacticipantParam(c)
	if err != nil {
		return err
	}
	_, patch, err := pacticipantPatch(c, mediaJSON)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.ReplacePacticipant(ctx, p.Name, patch); err != nil {
		return err
	}
	p, _ = a.cfg.Catalog.Pacticipant(p.Name)
	return hal(c, http.StatusOK, a.pacticipantJSON(c, p))
}

func (a *API) patchPacticipant(c echo.Context) error {
	ps, err := params(c, "pacticipant")
	if err != nil {
		return err
	}
	_, patch, err := pacticipantPatch(c, mediaMergePatch, mediaJSON)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	isNew, err := a.cfg.Commands.PatchPacticipant(ctx, ps[0], patch)
	if err != nil {
		return err
	}
	p, _ := a.cfg.Catalog.Pacticipant(ps[0])
	if isNew {
		return created(c, a.href(c, "pacticipants", p.Name), a.pacticipantJSON(c, p))
	}
	return hal(c, http.StatusOK, a.pacticipantJSON(c, p))
}

func (a *API) deletePacticipant(c echo.Context) error {
	p, err := a.pacticipantParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.DeletePacticipant(ctx, p.Name); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
