package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

type versionJSON struct {
	Number    string         `json:"number"`
	BuildURL  *string        `json:"buildUrl,omitempty"`
	CreatedAt string         `json:"createdAt"`
	UpdatedAt *string        `json:"updatedAt,omitempty"`
	Embedded  map[string]any `json:"_embedded"`
	Links     Links          `json:"_links"`
}

// versionJSON renders a version; selfHref is the URL it was asked by
// ("" for the canonical one).
func (a *API) versionJSON(c echo.Context, v projections.VersionView, selfHref string) versionJSON {
	canonical := a.href(c, "pacticipants", v.Pacticipant, "versions", v.Number)
	if selfHref == "" {
		selfHref = canonical
	}
	branches := make([]map[string]any, 0, len(v.Branches))
	for _, b := range v.Branches {
		head, _ := a.cfg.Catalog.Branch(v.Pacticipant, b.Name)
		branches = append(branches, map[string]any{"name": b.Name, "latest": head.Head == v.Number,
			"_links": Links{"self": Link{Title: "Branch version", Name: b.Name,
				Href: a.href(c, "pacticipants", v.Pacticipant, "branches", b.Name, "versions", v.Number)}}})
	}
	tags := make([]map[string]any, 0, len(v.Tags))
	for _, t := range v.Tags {
		tags = append(tags, map[string]any{"name": t.Name,
			"_links": Links{"self": Link{Title: "Tag", Name: t.Name, Href: canonical + "/tags/" + escape(t.Name)}}})
	}
	var recordDeployment, recordRelease []Link
	for _, env := range a.cfg.Catalog.Environments() {
		recordDeployment = append(recordDeployment, Link{Title: "Record deployment to " + env.DisplayName, Name: env.Name,
			Href: canonical + "/deployed-versions/environment/" + escape(env.UUID)})
		recordRelease = append(recordRelease, Link{Title: "Record release to " + env.DisplayName, Name: env.Name,
			Href: canonical + "/released-versions/environment/" + escape(env.UUID)})
	}
	pactVersions := []Link{} // sorted by provider name
	for _, p := range a.cfg.Contracts.PactsOfConsumerVersion(v.Pacticipant, v.Number) {
		pactVersions = append(pactVersions, Link{Title: "Pact", Name: p.Name(), Href: a.pactHref(c, p.PactKey)})
	}
	return versionJSON{
		Number: v.Number, BuildURL: optional(v.BuildURL), CreatedAt: timestamp(v.CreatedAt),
		UpdatedAt: updatedAt(v.CreatedAt, v.UpdatedAt),
		Embedded:  map[string]any{"branches": branches, "branchVersions": branches, "tags": tags},
		Links: Links{
			"self":           Link{Title: "Version", Name: v.Number, Href: selfHref},
			"pb:pacticipant": Link{Title: "Pacticipant", Name: v.Pacticipant, Href: a.href(c, "pacticipants", v.Pacticipant)},
			"pb:tag": Link{Title: "Get, create or delete a tag for this pacticipant version",
				Href: canonical + "/tags/{tag}", Templated: true},
			"pb:deployed-environments": a.deployedEnvironmentLinks(c, projections.DeploymentFilter{
				Pacticipant: v.Pacticipant, Version: v.Number}),
			"pb:released-environments": a.releasedEnvironmentLinks(c, v.Pacticipant, v.Number),
			"pb:record-deployment":     nonNil(recordDeployment),
			"pb:record-release":        nonNil(recordRelease),
			"pb:pact-versions":         pactVersions,
			"pb:latest-verification-results-where-pacticipant-is-consumer": Link{
				Title: "Latest verification results for consumer version",
				Href:  a.href(c, "verification-results", "consumer", v.Pacticipant, "version", v.Number, "latest")},
			"curies": []Link{{Name: "pb", Href: a.template(c, "/doc/{rel}?context=version"), Templated: true}},
		},
	}
}

// nonNil keeps array relations arrays even when empty: the CLI needs arrays.
func nonNil(l []Link) []Link {
	if l == nil {
		return []Link{}
	}
	return l
}

func (a *API) versionParams(c echo.Context) (domain.VersionKey, error) {
	ps, err := params(c, "pacticipant", "version")
	if err != nil {
		return domain.VersionKey{}, err
	}
	return domain.VersionKey{Pacticipant: ps[0], Number: ps[1]}, nil
}

func (a *API) existingVersion(c echo.Context) (projections.VersionView, error) {
	k, err := a.versionParams(c)
	if err != nil {
		return projections.VersionView{}, err
	}
	v, ok := a.cfg.Catalog.Version(k.Pacticipant, k.Number)
	if !ok {
		return v, domain.NotFound("version %s of %s", k.Number, k.Pacticipant)
	}
	return v, nil
}

func (a *API) getVersion(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	v, err := a.existingVersion(c)
	if err != nil {
		return err
	}
	return hal(c, http.StatusOK, a.versionJSON(c, v, a.selfHref(c)))
}

func (a *API) listVersions(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	p, err := a.pacticipantParam(c)
	if err != nil {
		return err
	}
	items := []versionJSON{}
	for _, v := range a.cfg.Catalog.Versions(p.Name) {
		items = append(items, a.versionJSON(c, v, ""))
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"versions": items},
		"_links":    Links{"self": Link{Title: "All application versions of " + p.Name, Href: a.selfHref(c)}},
	})
}

func (a *API) putVersion(c echo.Context) error   { return a.upsertVersion(c, true) }
func (a *API) patchVersion(c echo.Context) error { return a.upsertVersion(c, false) }

// upsertVersion handles PUT (application/json, replace) and PATCH
// (merge-patch, merge) of a version: 201 when created, else 200.
func (a *API) upsertVersion(c echo.Context, replace bool) error {
	k, err := a.versionParams(c)
	if err != nil {
		return err
	}
	media := mediaMergePatch
	if replace {
		media = mediaJSON
	}
	b, err := readBody(c, true, media)
	if err != nil {
		return err
	}
	in := domain.VersionUpsert{BuildURL: b.str("buildUrl", false), Replace: replace}
	if b.has("tags") {
		tags := tagNames(b)
		in.Tags = &tags
	}
	if err := b.err(); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	isNew, err := a.cfg.Commands.UpsertVersion(ctx, k, in)
	if err != nil {
		return err
	}
	v, _ := a.cfg.Catalog.Version(k.Pacticipant, k.Number)
	if isNew {
		return created(c, a.href(c, "pacticipants", k.Pacticipant, "versions", k.Number), a.versionJSON(c, v, ""))
	}
	return hal(c, http.StatusOK, a.versionJSON(c, v, ""))
}

// tagNames reads "tags": [{"name": "t"}, …].
func tagNames(b *body) []string {
	list, ok := b.fields["tags"].([]any)
	if !ok {
		if b.fields["tags"] != nil {
			b.errs.Add("tags", "must be an array")
		}
		return []string{}
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		obj, _ := item.(map[string]any)
		name, ok := obj["name"].(string)
		if !ok {
			b.errs.Add("tags", "name is missing")
			continue
		}
		out = append(out, name)
	}
	return out
}

func (a *API) deleteVersion(c echo.Context) error {
	v, err := a.existingVersion(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.DeleteVersion(ctx, domain.VersionKey{Pacticipant: v.Pacticipant, Number: v.Number}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *API) latestVersion(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	p, err := a.pacticipantParam(c)
	if err != nil {
		return err
	}
	v, ok := a.cfg.Catalog.LatestVersion(p.Name)
	if !ok {
		return domain.NotFound("latest version of %s", p.Name)
	}
	return hal(c, http.StatusOK, a.versionJSON(c, v, a.selfHref(c)))
}

func (a *API) latestTaggedVersion(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	ps, err := params(c, "pacticipant", "tag")
	if err != nil {
		return err
	}
	v, ok := a.cfg.Catalog.LatestVersionWithTag(ps[0], ps[1])
	if !ok {
		return domain.NotFound("latest version of %s tagged %s", ps[0], ps[1])
	}
	return hal(c, http.StatusOK, a.versionJSON(c, v, a.selfHref(c)))
}
