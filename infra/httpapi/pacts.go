package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

// pactBase is the href of a pair: {base}/pacts/provider/P/consumer/C.
func (a *API) pactBase(c echo.Context, consumer, provider string) string {
	return a.href(c, "pacts", "provider", provider, "consumer", consumer)
}

// pactHref is the href of the pact a consumer version holds.
func (a *API) pactHref(c echo.Context, k domain.PactKey) string {
	return a.pactBase(c, k.Consumer, k.Provider) + "/version/" + escape(k.ConsumerVersion)
}

// pactVersionHref is the permalink of a pact version; metadata, when not
// empty, is an escaped metadata segment kept as it came.
func (a *API) pactVersionHref(c echo.Context, k domain.PactVersionKey, metadata string) string {
	h := a.pactBase(c, k.Consumer, k.Provider) + "/pact-version/" + escape(k.SHA)
	if metadata != "" {
		h += "/metadata/" + metadata
	}
	return h
}

// pactLinks are the pact resource's links, as the Pact Broker's PactDecorator
// renders them (the diff, webhook and triggered-webhook targets are not
// served by pactledger yet).
func (a *API) pactLinks(c echo.Context, p projections.PactView, metadata string) Links {
	self := a.pactHref(c, p.PactKey)
	pair := a.pactBase(c, p.Consumer, p.Provider)
	version := a.href(c, "pacticipants", p.Consumer, "versions", p.ConsumerVersion)
	permalink := a.pactVersionHref(c, p.PactVersionKey(), "")
	matrix := url.Values{"q[][pacticipant]": {p.Consumer}, "q[][version]": {p.ConsumerVersion}, "latestby": {"cvpv"}}
	return Links{
		"self":                            Link{Title: "Pact", Name: p.Name(), Href: self},
		"pb:consumer":                     Link{Title: "Consumer", Name: p.Consumer, Href: a.href(c, "pacticipants", p.Consumer)},
		"pb:consumer-version":             Link{Title: "Consumer version", Name: p.ConsumerVersion, Href: version},
		"pb:provider":                     Link{Title: "Provider", Name: p.Provider, Href: a.href(c, "pacticipants", p.Provider)},
		"pb:pact-version":                 Link{Title: "Pact content version permalink", Name: p.SHA, Href: permalink},
		"pb:latest-pact-version":          Link{Title: "Latest version of this pact", Href: pair + "/latest"},
		"pb:all-pact-versions":            Link{Title: "All versions of this pact", Href: pair + "/versions"},
		"pb:latest-untagged-pact-version": Link{Title: "Latest untagged version of this pact", Href: pair + "/latest-untagged"},
		"pb:latest-tagged-pact-version":   Link{Title: "Latest tagged version of this pact", Href: pair + "/latest/{tag}", Templated: true},
		"pb:previous-distinct":            Link{Title: "Previous distinct version of this pact", Href: self + "/previous-distinct"},
		"pb:diff-previous-distinct":       Link{Title: "Diff with previous distinct version of this pact", Href: self + "/diff/previous-distinct"},
		"pb:diff": Link{Title: "Diff with another specified version of this pact",
			Href: permalink + "/diff/pact-version/{pactVersion}", Templated: true},
		"pb:pact-webhooks": Link{Title: fmt.Sprintf("Webhooks for the pact between %s and %s", p.Consumer, p.Provider),
			Href: a.href(c, "webhooks", "provider", p.Provider, "consumer", p.Consumer)},
		"pb:consumer-webhooks": Link{Title: "Webhooks for all pacts with consumer " + p.Consumer,
			Href: a.href(c, "webhooks", "consumer", p.Consumer)},
		"pb:tag-prod-version": Link{Title: "PUT to this resource to tag this consumer version as 'production'",
			Href: version + "/tags/prod"},
		"pb:tag-version": Link{Title: "PUT to this resource to tag this consumer version", Href: version + "/tags/{tag}"},
		"pb:publish-verification-results": Link{Title: "Publish verification results",
			Href: a.pactVersionHref(c, p.PactVersionKey(), metadata) + "/verification-results"},
		"pb:latest-verification-results": Link{Href: permalink + "/verification-results/latest"},
		"pb:triggered-webhooks":          Link{Title: "Webhooks triggered by the publication of this pact", Href: self + "/triggered-webhooks"},
		"pb:matrix-for-consumer-version": Link{Title: "View matrix rows for the consumer version to which this pact belongs",
			Href: a.base(c) + "/matrix?" + matrix.Encode()},
		"curies": []Link{{Name: "pb", Href: a.template(c, "/doc/{rel}?context=pact"), Templated: true}},
	}
}

// PactContents reads stored pact content by SHA (from the log; infra/app
// implements it). Content is shared: it must not be modified. An error is
// the store failing, false content the read model does not know.
type PactContents interface {
	Content(ctx context.Context, sha string) (projections.PactContentView, bool, error)
}

// pactDocument renders a pact: the stored document with the pair's names
// (content is shared by every pair with the same interactions), createdAt
// and _links merged in at the top level.
func (a *API) pactDocument(c echo.Context, p projections.PactView, metadata string) ([]byte, error) {
	content, ok, err := a.cfg.PactContents.Content(c.Request().Context(), p.SHA)
	if err != nil {
		return nil, fmt.Errorf("httpapi: read the content of %s: %w", p.Name(), err)
	}
	if !ok {
		return nil, fmt.Errorf("httpapi: content %s of %s is missing from the read model", p.SHA, p.Name())
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(content.Content, &doc); err != nil {
		return nil, fmt.Errorf("httpapi: stored content %s: %w", p.SHA, err)
	}
	for role, name := range map[string]string{"consumer": p.Consumer, "provider": p.Provider} {
		party := map[string]json.RawMessage{}
		_ = json.Unmarshal(doc[role], &party) // not an object: replaced
		party["name"], _ = json.Marshal(name)
		doc[role], _ = json.Marshal(party)
	}
	doc["createdAt"], _ = json.Marshal(timestamp(p.CreatedAt))
	links, err := json.Marshal(a.pactLinks(c, p, metadata))
	if err != nil {
		return nil, fmt.Errorf("httpapi: pact links: %w", err)
	}
	doc["_links"] = links
	return json.Marshal(doc)
}

// writePact sends a pact document with status (and Location for 201).
func (a *API) writePact(c echo.Context, status int, p projections.PactView, metadata string) error {
	body, err := a.pactDocument(c, p, metadata)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, a.pactHref(c, p.PactKey))
	}
	return c.Blob(status, halContentType, body)
}

func pactKeyParams(c echo.Context) (domain.PactKey, error) {
	ps, err := params(c, "provider", "consumer", "version")
	if err != nil {
		return domain.PactKey{}, err
	}
	return domain.PactKey{Provider: ps[0], Consumer: ps[1], ConsumerVersion: ps[2]}, nil
}

func (a *API) existingPact(c echo.Context) (projections.PactView, error) {
	k, err := pactKeyParams(c)
	if err != nil {
		return projections.PactView{}, err
	}
	p, ok := a.cfg.Contracts.Pact(k)
	if !ok {
		return p, domain.NotFound("pact for %s version %s and provider %s", k.Consumer, k.ConsumerVersion, k.Provider)
	}
	return p, nil
}

func (a *API) getPact(c echo.Context) error {
	p, err := a.existingPact(c)
	if err != nil {
		return err
	}
	return a.writePact(c, http.StatusOK, p, "")
}

func (a *API) putPact(c echo.Context) error   { return a.publishPact(c, false) }
func (a *API) patchPact(c echo.Context) error { return a.publishPact(c, true) }

// publishPact is the legacy PUT (replace) and PATCH (merge) of a pact:
// the body is the pact itself; names in it must match the path. 201 when the
// consumer version had no pact for the provider, else 200.
func (a *API) publishPact(c echo.Context, merge bool) error {
	k, err := pactKeyParams(c)
	if err != nil {
		return err
	}
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return err
	}
	doc := domain.NewPactDocument(b.fields)
	for role, name := range map[string]string{"consumer": k.Consumer, "provider": k.Provider} {
		if inPact, ok := doc.PacticipantName(role); ok && inPact != name {
			b.errs.Add(role+".name", fmt.Sprintf("name in pact '%s' does not match name in URL path '%s'.", inPact, name))
		}
	}
	if err := b.err(); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	res, err := a.cfg.Commands.PublishPact(ctx, commands.PublishPact{Key: k, Doc: doc, Merge: merge})
	if err != nil {
		return err
	}
	p, _ := a.cfg.Contracts.Pact(k)
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	return a.writePact(c, status, p, "")
}

func (a *API) deletePact(c echo.Context) error {
	p, err := a.existingPact(c)
	if err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.DeletePact(ctx, p.PactKey); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// pactVersionParams reads provider, consumer and sha.
func pactVersionParams(c echo.Context) (domain.PactVersionKey, error) {
	ps, err := params(c, "provider", "consumer", "sha")
	if err != nil {
		return domain.PactVersionKey{}, err
	}
	return domain.PactVersionKey{Provider: ps[0], Consumer: ps[1], SHA: ps[2]}, nil
}

// pactOfVersion returns the pact that represents a pact version: that of
// the newest consumer version whose latest revision has the content, else
// of one whose earlier revision had it (shown with this content).
func (a *API) pactOfVersion(k domain.PactVersionKey) (projections.PactView, bool) {
	pv, ok := a.cfg.Contracts.PactVersion(k)
	if !ok {
		return projections.PactView{}, false
	}
	versions := pv.ConsumerVersions
	if len(versions) == 0 {
		versions = pv.AllConsumerVersions
	}
	if len(versions) == 0 {
		return projections.PactView{}, false
	}
	p, ok := a.cfg.Contracts.Pact(domain.PactKey{Consumer: k.Consumer, Provider: k.Provider, ConsumerVersion: versions[len(versions)-1]})
	if ok && p.SHA != k.SHA {
		p.SHA, p.CreatedAt = k.SHA, pv.CreatedAt
	}
	return p, ok
}

// getPactVersion serves .../pact-version/{sha}[/metadata/{m}]; the metadata
// segment is carried into pb:publish-verification-results.
func (a *API) getPactVersion(c echo.Context) error {
	k, err := pactVersionParams(c)
	if err != nil {
		return err
	}
	p, ok := a.pactOfVersion(k)
	if !ok {
		return domain.NotFound("pact version %s", k.SHA)
	}
	return a.writePact(c, http.StatusOK, p, c.Param("metadata"))
}
