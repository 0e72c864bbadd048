package httpapi

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

type environmentJSON struct {
	UUID        string           `json:"uuid"`
	Name        string           `json:"name"`
	DisplayName string           `json:"displayName"`
	Production  bool             `json:"production"`
	Contacts    []events.Contact `json:"contacts,omitempty"`
	CreatedAt   string           `json:"createdAt"`
	UpdatedAt   *string          `json:"updatedAt,omitempty"`
	Links       Links            `json:"_links"`
}

func (a *API) environmentJSON(c echo.Context, env projections.EnvironmentView) environmentJSON {
	self := a.href(c, "environments", env.UUID)
	return environmentJSON{
		UUID: env.UUID, Name: env.Name, DisplayName: env.DisplayName, Production: env.Production,
		Contacts: env.Contacts, CreatedAt: timestamp(env.CreatedAt), UpdatedAt: updatedAt(env.CreatedAt, env.UpdatedAt),
		Links: Links{
			"self": Link{Title: "Environment", Name: env.Name, Href: self},
			"pb:currently-deployed-deployed-versions": Link{
				Title: "Versions currently deployed to " + env.DisplayName + " environment",
				Href:  self + "/deployed-versions/currently-deployed"},
			"pb:currently-supported-released-versions": Link{
				Title: "Versions released and supported in " + env.DisplayName + " environment",
				Href:  self + "/released-versions/currently-supported"},
			"pb:environments": Link{Title: "Environments", Href: a.href(c, "environments")},
		},
	}
}

// environmentInput decodes a create or update body.
func environmentInput(c echo.Context) (domain.EnvironmentInput, error) {
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return domain.EnvironmentInput{}, err
	}
	in := domain.EnvironmentInput{}
	if name := b.str("name", true); name != nil {
		in.Name = *name
	}
	if dn := b.str("displayName", false); dn != nil {
		in.DisplayName = *dn
	}
	in.Production = b.boolean("production", true)
	in.Contacts = contacts(b)
	return in, b.err()
}

func contacts(b *body) []events.Contact {
	raw, ok := b.fields["contacts"]
	if !ok || raw == nil {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		b.errs.Add("contacts", "must be an array")
		return nil
	}
	out := make([]events.Contact, 0, len(list))
	for i, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			b.errs.Add("contacts", fmt.Sprintf("must be a hash (at index %d)", i))
			continue
		}
		var ct events.Contact
		switch name := obj["name"].(type) {
		case string:
			ct.Name = name
		case nil:
		default:
			b.errs.Add("contacts", fmt.Sprintf("name must be a string (at index %d)", i))
		}
		switch d := obj["details"].(type) {
		case map[string]any:
			ct.Details = d
		case nil:
		default:
			b.errs.Add("contacts", fmt.Sprintf("details must be a hash (at index %d)", i))
		}
		out = append(out, ct)
	}
	return out
}

func (a *API) listEnvironments(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	name, filter := c.QueryParams()["name"]
	items, links := []environmentJSON{}, []Link{}
	for _, env := range a.cfg.Catalog.Environments() {
		if filter && env.Name != name[0] {
			continue
		}
		items = append(items, a.environmentJSON(c, env))
		links = append(links, Link{Title: "Environment", Name: env.Name, Href: a.href(c, "environments", env.UUID)})
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"environments": items},
		"_links":    Links{"self": Link{Title: "Environments", Href: a.selfHref(c)}, "pb:environments": links},
	})
}

func (a *API) createEnvironment(c echo.Context) error {
	in, err := environmentInput(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	id, err := a.cfg.Commands.CreateEnvironment(ctx, in)
	if err != nil {
		return err
	}
	env, _ := a.cfg.Catalog.EnvironmentView(id)
	return created(c, a.href(c, "environments", id), a.environmentJSON(c, env))
}

func (a *API) environmentParam(c echo.Context) (projections.EnvironmentView, error) {
	id, err := param(c, "uuid")
	if err != nil {
		return projections.EnvironmentView{}, err
	}
	env, ok := a.cfg.Catalog.EnvironmentView(id)
	if !ok {
		return env, domain.NotFound("environment %s", id)
	}
	return env, nil
}

func (a *API) getEnvironment(c echo.Context) error {
	a, err := a.asOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	env, err := a.environmentParam(c)
	if err != nil {
		return err
	}
	return hal(c, http.StatusOK, a.environmentJSON(c, env))
}

func (a *API) updateEnvironment(c echo.Context) error {
	env, err := a.environmentParam(c)
	if err != nil {
		return err
	}
	in, err := environmentInput(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.UpdateEnvironment(ctx, env.UUID, in); err != nil {
		return err
	}
	env, _ = a.cfg.Catalog.EnvironmentView(env.UUID)
	return hal(c, http.StatusOK, a.environmentJSON(c, env))
}

func (a *API) deleteEnvironment(c echo.Context) error {
	env, err := a.environmentParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.DeleteEnvironment(ctx, env.UUID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
