package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

type releasedVersionJSON struct {
	UUID               string         `json:"uuid"`
	CurrentlySupported bool           `json:"currentlySupported"`
	CreatedAt          string         `json:"createdAt"`
	UpdatedAt          *string        `json:"updatedAt,omitempty"`
	SupportEndedAt     *string        `json:"supportEndedAt,omitempty"`
	Embedded           map[string]any `json:"_embedded"`
	Links              Links          `json:"_links"`
}

func (a *API) releasedVersionJSON(c echo.Context, r projections.ReleasedVersionView, withEnvironment bool) releasedVersionJSON {
	out := releasedVersionJSON{
		UUID: r.ReleaseID, CurrentlySupported: r.CurrentlySupported(), CreatedAt: timestamp(r.CreatedAt),
		UpdatedAt: updatedAt(r.CreatedAt, r.UpdatedAt), SupportEndedAt: timestampPtr(r.SupportEndedAt),
		Embedded: a.embedVersion(c, r.Pacticipant, r.Version),
		Links:    Links{"self": Link{Href: a.href(c, "released-versions", r.ReleaseID)}},
	}
	if env, ok := a.cfg.Catalog.EnvironmentView(r.EnvironmentUUID); ok && withEnvironment {
		out.Embedded["environment"] = a.environmentJSON(c, env)
	}
	return out
}

func (a *API) releasedEnvironmentLinks(c echo.Context, pacticipant, version string) []map[string]any {
	out := []map[string]any{}
	for _, r := range a.cfg.Deployments.ReleasedVersions(projections.ReleaseFilter{Pacticipant: pacticipant, Version: version}) {
		env, _ := a.cfg.Catalog.EnvironmentView(r.EnvironmentUUID)
		out = append(out, map[string]any{"title": "Version released to " + env.DisplayName, "name": env.DisplayName,
			"href": a.href(c, "released-versions", r.ReleaseID), "currently_supported": r.CurrentlySupported()})
	}
	return out
}

// recordRelease answers 201 the first time and 200 after that (a repeat
// resumes support); the body is ignored.
func (a *API) recordRelease(c echo.Context) error {
	k, env, err := a.versionInEnvironment(c)
	if err != nil {
		return err
	}
	if _, err := readBody(c, true, mediaJSON); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	ref, isNew, err := a.cfg.Commands.RecordRelease(ctx, k, env.UUID)
	if err != nil {
		return err
	}
	r, _ := a.cfg.Deployments.ReleasedVersion(ref.ReleaseID)
	location := a.href(c, "released-versions", ref.ReleaseID)
	if isNew {
		return created(c, location, a.releasedVersionJSON(c, r, true))
	}
	c.Response().Header().Set(echo.HeaderLocation, location)
	return hal(c, http.StatusOK, a.releasedVersionJSON(c, r, true))
}

func (a *API) versionReleases(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	k, env, err := a.versionInEnvironment(c)
	if err != nil {
		return err
	}
	items := []releasedVersionJSON{}
	for _, r := range a.cfg.Deployments.ReleasedVersions(projections.ReleaseFilter{
		EnvironmentUUID: env.UUID, Pacticipant: k.Pacticipant, Version: k.Number}) {
		items = append(items, a.releasedVersionJSON(c, r, true))
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"releasedVersions": items},
		"_links": Links{"self": Link{Href: a.selfHref(c),
			Title: "Released versions for " + k.Pacticipant + " version " + k.Number + " in " + env.DisplayName}},
	})
}

func (a *API) releasedVersionParam(c echo.Context) (projections.ReleasedVersionView, error) {
	id, err := param(c, "id")
	if err != nil {
		return projections.ReleasedVersionView{}, err
	}
	r, ok := a.cfg.Deployments.ReleasedVersion(id)
	if !ok {
		return r, domain.NotFound("released version %s", id)
	}
	return r, nil
}

func (a *API) getReleasedVersion(c echo.Context) error {
	r, err := a.releasedVersionParam(c)
	if err != nil {
		return err
	}
	return hal(c, http.StatusOK, a.releasedVersionJSON(c, r, true))
}

// patchReleasedVersion: currentlySupported:false records SupportEnded
// (idempotent); true is refused with 422; {} changes nothing.
func (a *API) patchReleasedVersion(c echo.Context) error {
	r, err := a.releasedVersionParam(c)
	if err != nil {
		return err
	}
	b, err := readBody(c, true, mediaMergePatch)
	if err != nil {
		return err
	}
	supported := b.boolean("currentlySupported", false)
	if err := b.err(); err != nil {
		return err
	}
	if supported != nil && *supported {
		return domain.Unprocessable("currentlySupported",
			"The currentlySupported property cannot be set back to true. Please record a new deployment.")
	}
	if supported != nil {
		ctx, cancel := a.writeContext(c)
		defer cancel()
		if err := a.cfg.Commands.EndSupport(ctx, r.ReleaseID); err != nil {
			return err
		}
		r, _ = a.cfg.Deployments.ReleasedVersion(r.ReleaseID)
	}
	return hal(c, http.StatusOK, a.releasedVersionJSON(c, r, true))
}

// currentlySupported lists an environment's supported releases, optionally
// filtered by pacticipant and version.
func (a *API) currentlySupported(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	env, err := a.environmentParam(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	items := []releasedVersionJSON{}
	for _, r := range a.cfg.Deployments.ReleasedVersions(projections.ReleaseFilter{EnvironmentUUID: env.UUID,
		Pacticipant: q.Get("pacticipant"), Version: q.Get("version"), SupportedOnly: true}) {
		items = append(items, a.releasedVersionJSON(c, r, false))
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"releasedVersions": items},
		"_links":    Links{"self": Link{Href: a.selfHref(c), Title: "Currently supported versions in " + env.DisplayName}},
	})
}
