package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// webhookRoutes registers the webhook API (Pact Broker §10). Without
// Config.Webhooks and Config.WebhookCommands there is none (every webhook
// route is the router's 404).
func (a *API) webhookRoutes(e *echo.Echo) {
	if a.cfg.Webhooks == nil || a.cfg.WebhookCommands == nil {
		return
	}
	e.GET("/webhooks", a.listWebhooks(webhookScopeNone))
	e.POST("/webhooks", a.createWebhook(webhookScopeNone))
	e.GET("/webhooks/:uuid", a.getWebhook)
	e.PUT("/webhooks/:uuid", a.putWebhook)
	e.DELETE("/webhooks/:uuid", a.deleteWebhook)
	e.POST("/webhooks/:uuid/execute", a.executeWebhook)
	for path, scope := range map[string]webhookScopeKind{
		"/webhooks/provider/:provider/consumer/:consumer":       webhookScopePair,
		"/webhooks/provider/:provider":                          webhookScopeProvider,
		"/webhooks/consumer/:consumer":                          webhookScopeConsumer,
		"/pacts/provider/:provider/consumer/:consumer/webhooks": webhookScopePact,
	} {
		e.GET(path, a.listWebhooks(scope))
		e.POST(path, a.createWebhook(scope))
	}
}

// webhookScopeKind is which pacticipants a webhooks collection route names.
type webhookScopeKind int

const (
	webhookScopeNone webhookScopeKind = iota
	webhookScopePair
	webhookScopeProvider
	webhookScopeConsumer
	webhookScopePact // the pair, titled "Pact webhooks"
)

type webhookEventJSON struct {
	Name string `json:"name"`
}

type webhookJSON struct {
	UUID        string                     `json:"uuid"`
	Description string                     `json:"description"`
	Consumer    *events.WebhookPacticipant `json:"consumer,omitempty"`
	Provider    *events.WebhookPacticipant `json:"provider,omitempty"`
	Enabled     bool                       `json:"enabled"`
	Request     events.WebhookRequest      `json:"request"` // redacted
	Events      []webhookEventJSON         `json:"events"`
	CreatedAt   string                     `json:"createdAt"`
	UpdatedAt   *string                    `json:"updatedAt,omitempty"`
	Links       Links                      `json:"_links"`
}

// displayDescription is the description, or "METHOD host" when it is blank.
func displayDescription(w events.WebhookDefinition) string {
	if strings.TrimSpace(w.Description) != "" {
		return w.Description
	}
	host := w.Request.URL
	if u, err := url.Parse(w.Request.URL); err == nil {
		host = u.Hostname()
	}
	return strings.ToUpper(w.Request.Method) + " " + host
}

// scopeDescription says which pacts a webhook is for, as the Pact Broker.
func scopeDescription(w events.WebhookDefinition) string {
	side := func(s *events.WebhookPacticipant, plural string, other bool) string {
		if s.Name != "" {
			return s.Name
		}
		if other {
			return fmt.Sprintf("%s labeled '%s'", plural, s.Label)
		}
		return fmt.Sprintf("labeled '%s'", s.Label)
	}
	c, p := w.Consumer, w.Provider
	switch {
	case c != nil && p != nil:
		return "A webhook for the pact between " + side(c, "consumers", true) + " and " + side(p, "providers", true)
	case p != nil:
		return "A webhook for all pacts with provider " + side(p, "providers", false)
	case c != nil:
		return "A webhook for all pacts with consumer " + side(c, "consumers", false)
	}
	return "A webhook for all pacts"
}

func (a *API) webhookJSON(c echo.Context, w projections.WebhookView) webhookJSON {
	self := a.href(c, "webhooks", w.UUID)
	out := webhookJSON{
		UUID: w.UUID, Description: displayDescription(w.WebhookDefinition), Consumer: w.Consumer, Provider: w.Provider,
		Enabled: w.Enabled, Request: w.Request.Redacted(), CreatedAt: timestamp(w.CreatedAt),
		UpdatedAt: updatedAt(w.CreatedAt, w.UpdatedAt), Events: make([]webhookEventJSON, len(w.Events)),
		Links: Links{
			"self": Link{Title: displayDescription(w.WebhookDefinition), Href: self},
			"pb:execute": Link{Href: self + "/execute",
				Title: "Test the execution of the webhook with the latest matching pact or verification by sending a POST request to this URL"},
			"pb:webhooks": Link{Title: "All webhooks", Href: a.href(c, "webhooks")},
		},
	}
	for i, e := range w.Events {
		out.Events[i] = webhookEventJSON{Name: e}
	}
	for _, s := range []struct {
		side          *events.WebhookPacticipant
		one, many, ti string
	}{{w.Consumer, "pb:consumer", "pb:consumers", "Consumer"}, {w.Provider, "pb:provider", "pb:providers", "Provider"}} {
		switch {
		case s.side == nil:
		case s.side.Name != "":
			out.Links[s.one] = Link{Title: s.ti, Name: s.side.Name, Href: a.href(c, "pacticipants", s.side.Name)}
		default:
			out.Links[s.many] = Link{Title: s.ti + "s by label", Name: s.side.Label, Href: a.href(c, "pacticipants", "label", s.side.Label)}
		}
	}
	if wc, wp := w.Consumer, w.Provider; wc != nil && wp != nil && wc.Name != "" && wp.Name != "" {
		out.Links["pb:pact-webhooks"] = Link{Title: fmt.Sprintf("All webhooks for consumer %s and provider %s", wc.Name, wp.Name),
			Href: a.href(c, "webhooks", "provider", wp.Name, "consumer", wc.Name)}
	}
	return out
}

// webhookParts reads a collection route's pacticipants; a named
// pacticipant that does not exist is a HAL 404 (ok false, response sent).
func (a *API) webhookParts(c echo.Context, scope webhookScopeKind) (consumer, provider string, ok bool, err error) {
	var names []string
	switch scope {
	case webhookScopePair, webhookScopePact:
		names = []string{"provider", "consumer"}
	case webhookScopeProvider:
		names = []string{"provider"}
	case webhookScopeConsumer:
		names = []string{"consumer"}
	}
	vals, err := params(c, names...)
	if err != nil {
		return "", "", false, err
	}
	for i, n := range names {
		if _, exists := a.cfg.Catalog.Pacticipant(vals[i]); !exists {
			return "", "", false, halNotFound(c)
		}
		if n == "consumer" {
			consumer = vals[i]
		} else {
			provider = vals[i]
		}
	}
	return consumer, provider, true, nil
}

// halNotFound is the 404 of the webhook collections, in HAL as the Pact
// Broker's client contract expects.
func halNotFound(c echo.Context) error {
	return hal(c, http.StatusNotFound, map[string]string{"error": notFoundBody})
}

func (a *API) listWebhooks(scope webhookScopeKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		consumer, provider, ok, err := a.webhookParts(c, scope)
		if !ok {
			return err
		}
		list := a.cfg.Webhooks.All()
		if scope != webhookScopeNone {
			list = a.cfg.Webhooks.ForPacticipants(consumer, provider)
		}
		title := "Webhooks"
		if scope == webhookScopePact {
			title = "Pact webhooks"
		}
		resource := a.base(c) + c.Request().URL.EscapedPath()
		links := []Link{}
		for _, w := range list {
			links = append(links, Link{Title: scopeDescription(w.WebhookDefinition),
				Name: displayDescription(w.WebhookDefinition), Href: a.href(c, "webhooks", w.UUID)})
		}
		return hal(c, http.StatusOK, map[string]any{"_links": Links{
			"self":        Link{Title: title, Href: resource},
			"pb:create":   Link{Title: "POST to create a webhook", Href: resource},
			"pb:webhooks": links,
			"curies":      []Link{{Name: "pb", Href: a.base(c) + "/doc/webhooks-{rel}", Templated: true}},
		}})
	}
}

// createWebhook is POST on a collection: 201 with Location. On a scoped
// route, a side the body leaves out is the pacticipant in the path.
func (a *API) createWebhook(scope webhookScopeKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		consumer, provider, ok, err := a.webhookParts(c, scope)
		if !ok {
			return err
		}
		in, err := webhookInput(c)
		if err != nil {
			return err
		}
		if in.Consumer == nil && consumer != "" {
			in.Consumer = &domain.WebhookScopeInput{Name: consumer}
		}
		if in.Provider == nil && provider != "" {
			in.Provider = &domain.WebhookScopeInput{Name: provider}
		}
		ctx, cancel := a.writeContext(c)
		defer cancel()
		id, err := a.cfg.WebhookCommands.CreateWebhook(ctx, in)
		if err != nil {
			return err
		}
		w, _ := a.cfg.Webhooks.Webhook(id)
		return created(c, a.href(c, "webhooks", id), a.webhookJSON(c, w))
	}
}

func (a *API) webhookParam(c echo.Context) (projections.WebhookView, error) {
	id, err := param(c, "uuid")
	if err != nil {
		return projections.WebhookView{}, err
	}
	w, ok := a.cfg.Webhooks.Webhook(id)
	if !ok {
		return w, domain.NotFound("webhook %s", id)
	}
	return w, nil
}

func (a *API) getWebhook(c echo.Context) error {
	w, err := a.webhookParam(c)
	if err != nil {
		return err
	}
	return hal(c, http.StatusOK, a.webhookJSON(c, w))
}

// putWebhook creates the webhook with the uuid in the path (201 with
// Location) or replaces the existing one (200).
func (a *API) putWebhook(c echo.Context) error {
	id, err := param(c, "uuid")
	if err != nil {
		return err
	}
	in, err := webhookInput(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	isNew, err := a.cfg.WebhookCommands.PutWebhook(ctx, id, in)
	if err != nil {
		return err
	}
	w, _ := a.cfg.Webhooks.Webhook(id)
	if isNew {
		return created(c, a.href(c, "webhooks", id), a.webhookJSON(c, w))
	}
	return hal(c, http.StatusOK, a.webhookJSON(c, w))
}

func (a *API) deleteWebhook(c echo.Context) error {
	w, err := a.webhookParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.WebhookCommands.DeleteWebhook(ctx, w.UUID); err != nil {
		return err
	}
	// No Content-Type: the official CLI parses any JSON-typed success body,
	// and an empty one fails it.
	return c.NoContent(http.StatusNoContent)
}
