package httpapi

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// verifiablePactsJSON is the pacts-for-verification answer; field order
// follows the Pact Broker's.
type verifiablePactsJSON struct {
	Embedded struct {
		Pacts []verifiablePactJSON `json:"pacts"`
	} `json:"_embedded"`
	Links Links `json:"_links"`
}

type verifiablePactJSON struct {
	ShortDescription       string `json:"shortDescription"`
	VerificationProperties struct {
		Pending *bool                        `json:"pending,omitempty"`
		WIP     bool                         `json:"wip,omitempty"`
		Notices []queries.VerificationNotice `json:"notices"`
	} `json:"verificationProperties"`
	Links map[string]Link `json:"_links"`
}

// forVerificationReader is the query's view of the read models.
func (a *API) forVerificationReader() *projections.ForVerification {
	return projections.NewView(a.cfg.Catalog, a.cfg.Deployments, a.cfg.Contracts).ForVerification()
}

// postPactsForVerification serves POST /pacts/provider/{p}/for-verification
// (a read). In the Pact Broker's order: a JSON body is validated (400),
// then the provider must exist (404), then the body must be JSON (415).
// An empty JSON body asks for the default selectors.
func (a *API) postPactsForVerification(c echo.Context) error {
	ps, err := params(c, "provider")
	if err != nil {
		return err
	}
	r := a.forVerificationReader()
	req := queries.PactsForVerificationRequest{Provider: ps[0], IncludePendingStatus: true}
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	isJSON := strings.Contains(mt, "json")
	if isJSON {
		b, err := readBody(c, true, mt)
		if err != nil {
			return err
		}
		if req, err = queries.DecodePactsForVerification(r, ps[0], b.fields); err != nil {
			return err
		}
	}
	if _, ok := r.Application(ps[0]); !ok {
		return domain.NotFound("provider %s", ps[0])
	}
	if !isJSON {
		return fmt.Errorf("%w: %q; use application/json", errUnsupportedMedia, c.Request().Header.Get(echo.HeaderContentType))
	}
	return a.answerPactsForVerification(c, r, req, false)
}

// getPactsForVerification serves the deprecated GET, whose snake_case query
// string the Pact Broker validates with a schema of its own
// (for_verification_get.go). Every pact's notices open with a deprecation
// warning. The Rust verifier GETs it first only to read _links.self.
func (a *API) getPactsForVerification(c echo.Context) error {
	ps, err := params(c, "provider")
	if err != nil {
		return err
	}
	req, err := parseDeprecatedForVerification(ps[0], c.Request().URL.RawQuery)
	if err != nil {
		return err
	}
	return a.answerPactsForVerification(c, a.forVerificationReader(), req, true)
}

func (a *API) answerPactsForVerification(c echo.Context, r *projections.ForVerification, req queries.PactsForVerificationRequest,
	deprecated bool) error {
	pacts, err := queries.PactsForVerification(r, req)
	if err != nil {
		return err
	}
	var out verifiablePactsJSON
	out.Embedded.Pacts = make([]verifiablePactJSON, len(pacts))
	for i, p := range pacts {
		k := domain.PactVersionKey{Consumer: p.Consumer, Provider: p.Provider, SHA: p.SHA}
		noticeURL := a.pactVersionHref(c, k, "")
		if p.WIP {
			noticeURL = a.pactVersionHref(c, k, pactMetadata("wip=true"))
		}
		j := &out.Embedded.Pacts[i]
		j.ShortDescription = p.ShortDescription()
		if req.IncludePendingStatus {
			j.VerificationProperties.Pending = &p.Pending
		}
		j.VerificationProperties.WIP = p.WIP
		j.VerificationProperties.Notices = p.Notices(noticeURL, req.IncludePendingStatus, deprecated)
		j.Links = map[string]Link{"self": {Href: a.pactVersionHref(c, k, verifiableMetadata(p, req.IncludePendingStatus)), Name: p.Name()}}
	}
	out.Links = Links{"self": Link{Href: a.href(c, "pacts", "provider", req.Provider, "for-verification"), Title: "Pacts to be verified"}}
	return hal(c, http.StatusOK, out)
}
