package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

type deployedVersionJSON struct {
	UUID                string         `json:"uuid"`
	CurrentlyDeployed   bool           `json:"currentlyDeployed"`
	Target              *string        `json:"target,omitempty"`
	ApplicationInstance *string        `json:"applicationInstance,omitempty"`
	UndeployedAt        *string        `json:"undeployedAt,omitempty"`
	CreatedAt           string         `json:"createdAt"`
	UpdatedAt           *string        `json:"updatedAt,omitempty"`
	Embedded            map[string]any `json:"_embedded"`
	Links               Links          `json:"_links"`
}

// deployedVersionJSON renders a record; withEnvironment embeds the full
// environment, as the single-record resources do (lists leave it out).
func (a *API) deployedVersionJSON(c echo.Context, d projections.DeployedVersionView, withEnvironment bool) deployedVersionJSON {
	out := deployedVersionJSON{
		UUID: d.DeploymentID, CurrentlyDeployed: d.CurrentlyDeployed(), Target: d.ApplicationInstance,
		ApplicationInstance: d.ApplicationInstance, CreatedAt: timestamp(d.CreatedAt), UpdatedAt: updatedAt(d.CreatedAt, d.UpdatedAt),
		Embedded: a.embedVersion(c, d.Pacticipant, d.Version),
		Links:    Links{"self": Link{Href: a.href(c, "deployed-versions", d.DeploymentID)}},
	}
	out.UndeployedAt = timestampPtr(d.UndeployedAt)
	if env, ok := a.cfg.Catalog.EnvironmentView(d.EnvironmentUUID); ok && withEnvironment {
		out.Embedded["environment"] = a.environmentJSON(c, env)
	}
	return out
}

func (a *API) embedVersion(c echo.Context, pacticipant, version string) map[string]any {
	return map[string]any{
		"pacticipant": map[string]any{"name": pacticipant,
			"_links": Links{"self": Link{Href: a.href(c, "pacticipants", pacticipant)}}},
		"version": map[string]any{"number": version,
			"_links": Links{"self": Link{Title: "Version", Name: version, Href: a.href(c, "pacticipants", pacticipant, "versions", version)}}},
	}
}

// deployedEnvironmentLinks lists deployed-version records as the Pact
// Broker's pb:deployed-environments relation (snake_case keys inside).
func (a *API) deployedEnvironmentLinks(c echo.Context, f projections.DeploymentFilter) []map[string]any {
	out := []map[string]any{}
	for _, d := range a.cfg.Deployments.DeployedVersions(f) {
		env, _ := a.cfg.Catalog.EnvironmentView(d.EnvironmentUUID)
		link := map[string]any{"title": "Version deployed to " + env.DisplayName, "name": env.DisplayName,
			"href": a.href(c, "deployed-versions", d.DeploymentID), "currently_deployed": d.CurrentlyDeployed()}
		if d.ApplicationInstance != nil {
			link["application_instance"] = *d.ApplicationInstance
		}
		out = append(out, link)
	}
	return out
}

// recordDeployment answers 201 with the record, also when the version was
// already current on that instance (the existing record, nothing written).
func (a *API) recordDeployment(c echo.Context) error {
	k, env, err := a.versionInEnvironment(c)
	if err != nil {
		return err
	}
	b, err := readBody(c, true, mediaJSON)
	if err != nil {
		return err
	}
	instance := b.scalarString("applicationInstance")
	if instance == nil {
		instance = b.scalarString("target")
	}
	if err := b.err(); err != nil {
		return err
	}
	if instance != nil && *instance == "" {
		instance = nil // "" would collide with the null instance; the Pact Broker treats them alike
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	ref, err := a.cfg.Commands.RecordDeployment(ctx, k, env.UUID, instance)
	if err != nil {
		return err
	}
	d, _ := a.cfg.Deployments.DeployedVersion(ref.DeploymentID)
	return created(c, a.href(c, "deployed-versions", ref.DeploymentID), a.deployedVersionJSON(c, d, true))
}

// versionInEnvironment reads the pacticipant, version and environment of a
// record-deployment or record-release URL; all three must exist.
func (a *API) versionInEnvironment(c echo.Context) (domain.VersionKey, projections.EnvironmentView, error) {
	v, err := a.existingVersion(c)
	if err != nil {
		return domain.VersionKey{}, projections.EnvironmentView{}, err
	}
	env, err := a.environmentParam(c)
	return domain.VersionKey{Pacticipant: v.Pacticipant, Number: v.Number}, env, err
}

func (a *API) versionDeployments(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	k, env, err := a.versionInEnvironment(c)
	if err != nil {
		return err
	}
	items := []deployedVersionJSON{}
	for _, d := range a.cfg.Deployments.DeployedVersions(projections.DeploymentFilter{
		EnvironmentUUID: env.UUID, Pacticipant: k.Pacticipant, Version: k.Number}) {
		items = append(items, a.deployedVersionJSON(c, d, true))
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"deployedVersions": items},
		"_links": Links{"self": Link{Href: a.selfHref(c),
			Title: "Deployed versions for " + k.Pacticipant + " version " + k.Number + " in environment " + env.DisplayName}},
	})
}

func (a *API) deployedVersionParam(c echo.Context) (projections.DeployedVersionView, error) {
	id, err := param(c, "id")
	if err != nil {
		return projections.DeployedVersionView{}, err
	}
	d, ok := a.cfg.Deployments.DeployedVersion(id)
	if !ok {
		return d, domain.NotFound("deployed version %s", id)
	}
	return d, nil
}

func (a *API) getDeployedVersion(c echo.Context) error {
	d, err := a.deployedVersionParam(c)
	if err != nil {
		return err
	}
	return hal(c, http.StatusOK, a.deployedVersionJSON(c, d, true))
}

// patchDeployedVersion takes a merge patch: currentlyDeployed:false records
// Undeployed (idempotent); true is refused with 422; {} changes nothing.
func (a *API) patchDeployedVersion(c echo.Context) error {
	d, err := a.deployedVersionParam(c)
	if err != nil {
		return err
	}
	b, err := readBody(c, true, mediaMergePatch)
	if err != nil {
		return err
	}
	current := b.boolean("currentlyDeployed", false)
	if err := b.err(); err != nil {
		return err
	}
	if current != nil && *current {
		return domain.Unprocessable("currentlyDeployed",
			"The currentlyDeployed property cannot be set back to true. Please record a new deployment.")
	}
	if current != nil {
		ctx, cancel := a.writeContext(c)
		defer cancel()
		if err := a.cfg.Commands.Undeploy(ctx, d.DeploymentID); err != nil {
			return err
		}
		d, _ = a.cfg.Deployments.DeployedVersion(d.DeploymentID)
	}
	return hal(c, http.StatusOK, a.deployedVersionJSON(c, d, true))
}

// currentlyDeployed lists an environment's current records. Without
// applicationInstance (or target) it lists every instance; with a blank value
// only the null instance; otherwise that instance.
func (a *API) currentlyDeployed(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	env, err := a.environmentParam(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := projections.DeploymentFilter{EnvironmentUUID: env.UUID, Pacticipant: q.Get("pacticipant"), CurrentOnly: true}
	for _, key := range []string{"applicationInstance", "target"} {
		if vals, ok := q[key]; ok {
			f.FilterInstance = true
			if v := strings.TrimSpace(vals[0]); v != "" {
				f.Instance = &v
			}
			break
		}
	}
	items := []deployedVersionJSON{}
	for _, d := range a.cfg.Deployments.DeployedVersions(f) {
		items = append(items, a.deployedVersionJSON(c, d, false))
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"deployedVersions": items},
		"_links":    Links{"self": Link{Href: a.selfHref(c), Title: "Currently deployed versions for " + env.DisplayName}},
	})
}
