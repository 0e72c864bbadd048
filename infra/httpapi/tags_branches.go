package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

func (a *API) tagJSON(c echo.Context, v projections.VersionView, tag projections.Membership) map[string]any {
	version := a.href(c, "pacticipants", v.Pacticipant, "versions", v.Number)
	return map[string]any{
		"name": tag.Name, "createdAt": timestamp(tag.CreatedAt),
		"_links": Links{
			"self":        Link{Title: "Tag", Name: tag.Name, Href: version + "/tags/" + escape(tag.Name)},
			"version":     Link{Title: "Version", Name: v.Number, Href: version},
			"pacticipant": Link{Title: "Pacticipant", Name: v.Pacticipant, Href: a.href(c, "pacticipants", v.Pacticipant)},
		},
	}
}

func findMembership(list []projections.Membership, name string) (projections.Membership, bool) {
	for _, m := range list {
		if m.Name == name {
			return m, true
		}
	}
	return projections.Membership{}, false
}

func (a *API) tagParams(c echo.Context) (domain.VersionKey, string, error) {
	ps, err := params(c, "pacticipant", "version", "tag")
	if err != nil {
		return domain.VersionKey{}, "", err
	}
	return domain.VersionKey{Pacticipant: ps[0], Number: ps[1]}, ps[2], nil
}

func (a *API) getTag(c echo.Context) error {
	k, tag, err := a.tagParams(c)
	if err != nil {
		return err
	}
	v, _ := a.cfg.Catalog.Version(k.Pacticipant, k.Number)
	m, ok := findMembership(v.Tags, tag)
	if !ok {
		return domain.NotFound("tag %s", tag)
	}
	return hal(c, http.StatusOK, a.tagJSON(c, v, m))
}

// putTag tags a version, creating application and version as needed: 201
// for a new tag, 200 for an existing one.
func (a *API) putTag(c echo.Context) error {
	k, tag, err := a.tagParams(c)
	if err != nil {
		return err
	}
	if _, err := readBody(c, true, mediaJSON); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	added, err := a.cfg.Commands.TagVersion(ctx, k, tag)
	if err != nil {
		return err
	}
	v, _ := a.cfg.Catalog.Version(k.Pacticipant, k.Number)
	m, _ := findMembership(v.Tags, tag)
	body := a.tagJSON(c, v, m)
	if added {
		return created(c, a.href(c, "pacticipants", k.Pacticipant, "versions", k.Number, "tags", tag), body)
	}
	return hal(c, http.StatusOK, body)
}

func (a *API) deleteTag(c echo.Context) error {
	k, tag, err := a.tagParams(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.UntagVersion(ctx, k, tag); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *API) branchJSON(c echo.Context, b projections.BranchView) map[string]any {
	self := a.href(c, "pacticipants", b.Pacticipant, "branches", b.Name)
	out := map[string]any{
		"name": b.Name, "createdAt": timestamp(b.CreatedAt),
		"_links": Links{
			"self":              Link{Title: "Branch", Href: self},
			"pb:latest-version": Link{Title: "Latest version for branch", Href: self + "/latest-version"},
		},
	}
	if u := updatedAt(b.CreatedAt, b.UpdatedAt); u != nil {
		out["updatedAt"] = *u
	}
	return out
}

func (a *API) branchParam(c echo.Context) (projections.BranchView, error) {
	ps, err := params(c, "pacticipant", "branch")
	if err != nil {
		return projections.BranchView{}, err
	}
	b, ok := a.cfg.Catalog.Branch(ps[0], ps[1])
	if !ok {
		return b, domain.NotFound("branch %s of %s", ps[1], ps[0])
	}
	return b, nil
}

func (a *API) listBranches(c echo.Context) error {
	p, err := a.pacticipantParam(c)
	if err != nil {
		return err
	}
	items, links := []map[string]any{}, []Link{}
	for _, b := range a.cfg.Catalog.Branches(p.Name) {
		items = append(items, a.branchJSON(c, b))
		links = append(links, Link{Name: b.Name, Href: a.href(c, "pacticipants", p.Name, "branches", b.Name)})
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"branches": items},
		"_links":    Links{"self": Link{Title: p.Name + " branches", Href: a.selfHref(c)}, "pb:branches": links},
	})
}

func (a *API) getBranch(c echo.Context) error {
	b, err := a.branchParam(c)
	if err != nil {
		return err
	}
	return hal(c, http.StatusOK, a.branchJSON(c, b))
}

func (a *API) deleteBranch(c echo.Context) error {
	b, err := a.branchParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.DeleteBranch(ctx, b.Pacticipant, b.Name); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *API) branchHead(c echo.Context) error {
	b, err := a.branchParam(c)
	if err != nil {
		return err
	}
	v, _ := a.cfg.Catalog.Version(b.Pacticipant, b.Head)
	return hal(c, http.StatusOK, a.versionJSON(c, v, a.selfHref(c)))
}

func (a *API) branchVersionJSON(c echo.Context, p, branch, number string, m projections.Membership) map[string]any {
	return map[string]any{
		"createdAt": timestamp(m.CreatedAt),
		"_links": Links{
			"self":       Link{Title: "Branch version", Href: a.href(c, "pacticipants", p, "branches", branch, "versions", number)},
			"pb:branch":  Link{Title: "Branch", Name: branch, Href: a.href(c, "pacticipants", p, "branches", branch)},
			"pb:version": Link{Title: "Version", Name: number, Href: a.href(c, "pacticipants", p, "versions", number)},
		},
	}
}

func (a *API) branchVersionParams(c echo.Context) (domain.VersionKey, string, error) {
	ps, err := params(c, "pacticipant", "branch", "version")
	if err != nil {
		return domain.VersionKey{}, "", err
	}
	return domain.VersionKey{Pacticipant: ps[0], Number: ps[2]}, ps[1], nil
}

func (a *API) getBranchVersion(c echo.Context) error {
	k, branch, err := a.branchVersionParams(c)
	if err != nil {
		return err
	}
	v, _ := a.cfg.Catalog.Version(k.Pacticipant, k.Number)
	m, ok := findMembership(v.Branches, branch)
	if !ok {
		return domain.NotFound("version %s on branch %s", k.Number, branch)
	}
	return hal(c, http.StatusOK, a.branchVersionJSON(c, k.Pacticipant, branch, k.Number, m))
}

// putBranchVersion adds a version to a branch, creating application, version
// and branch as needed. The body is ignored.
func (a *API) putBranchVersion(c echo.Context) error {
	k, branch, err := a.branchVersionParams(c)
	if err != nil {
		return err
	}
	if _, err := readBody(c, true, mediaJSON); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	added, err := a.cfg.Commands.AddVersionToBranch(ctx, k, branch)
	if err != nil {
		return err
	}
	v, _ := a.cfg.Catalog.Version(k.Pacticipant, k.Number)
	m, _ := findMembership(v.Branches, branch)
	body := a.branchVersionJSON(c, k.Pacticipant, branch, k.Number, m)
	if added {
		return created(c, a.href(c, "pacticipants", k.Pacticipant, "branches", branch, "versions", k.Number), body)
	}
	return hal(c, http.StatusOK, body)
}

func (a *API) deleteBranchVersion(c echo.Context) error {
	k, branch, err := a.branchVersionParams(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.RemoveVersionFromBranch(ctx, k, branch); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
