package httpapi

import (
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

// BDCT serves bi-directional contract testing: provider contracts and their
// comparisons with pacts.
type BDCT struct {
	Contracts *projections.ProviderContracts
	// Request asks for a comparison that is missing (never blocks).
	Request func(domain.ComparisonKey)
}

// providerContractRoutes registers the provider contract endpoints. Without
// Config.BDCT there are none.
//
// Roles, once authentication lands: the two publications write (the
// provider's pipeline), everything else reads.
func (a *API) providerContractRoutes(e *echo.Echo) {
	if a.cfg.BDCT == nil {
		return
	}
	e.POST("/provider-contracts/provider/:provider/publish", a.publishProviderContract)
	e.PUT("/contracts/provider/:provider/version/:version", a.putProviderContract)
	e.GET("/contracts/provider/:provider/version/:version", a.getProviderContract)
	e.GET("/provider-contracts/provider/:provider/version/:version", a.getProviderContract)
	e.GET("/provider-contracts/provider/:provider/version/:version/comparisons", a.listComparisons)
	e.GET("/contracts/provider/:provider/version/:version/consumer/:consumer/pact-version/:sha/verification-results", a.getComparison)
}

// publishProviderContract serves POST /provider-contracts/provider/{p}/publish:
// 200 with the notices, the embedded version and the tag and branch links
// the official CLI reads (pact-cli-requests.md §4); 400 with every
// validation message before anything is written.
func (a *API) publishProviderContract(c echo.Context) error {
	provider, err := param(c, "provider")
	if err != nil {
		return err
	}
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return err
	}
	in := decodeProviderContract(b, provider)
	if err := b.err(); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	res, err := a.cfg.Commands.PublishProviderContract(ctx, in)
	if err != nil {
		return err
	}
	version := a.href(c, "pacticipants", provider, "versions", in.Version)
	tags := []Link{}
	for _, t := range in.Tags {
		tags = append(tags, Link{Title: "Tag", Name: t, Href: version + "/tags/" + escape(t)})
	}
	links := Links{
		"pb:pacticipant":              Link{Title: "Pacticipant", Name: provider, Href: a.href(c, "pacticipants", provider)},
		"pb:pacticipant-version":      Link{Title: "Pacticipant version", Name: in.Version, Href: version},
		"pb:pacticipant-version-tags": tags,
		"pf:provider-contract":        Link{Title: "Provider contract", Href: a.providerContractHref(c, provider, in.Version)},
	}
	if in.Branch != nil {
		links["pb:branch-version"] = Link{Title: "Branch version", Name: *in.Branch,
			Href: a.href(c, "pacticipants", provider, "branches", *in.Branch, "versions", in.Version)}
	}
	return hal(c, http.StatusOK, map[string]any{
		"notices":   providerContractNotices(in, res, a.providerContractHref(c, provider, in.Version)),
		"_embedded": map[string]any{"version": a.embeddedVersion(c, provider, in.Version)},
		"_links":    links,
	})
}

// providerContractNotices describe a publication for the CLI to print.
func providerContractNotices(in commands.PublishProviderContract, res commands.ProviderContractPublished, href string) []notice {
	verb := "Updated "
	if res.VersionCreated {
		verb = "Created "
	}
	out := []notice{{"debug", verb + in.Provider + " version " + in.Version}}
	switch {
	case res.Created:
		out = append(out, notice{"success", "Provider contract published for " + in.Provider + " version " + in.Version + "."})
	case res.Changed:
		out = append(out, notice{"warning", "Provider contract for " + in.Provider + " version " + in.Version +
			" replaced with new content or self-verification results."})
	default:
		out = append(out, notice{"success", "Provider contract republished for " + in.Provider + " version " + in.Version + " with no changes."})
	}
	if in.SelfVerification == nil {
		out = append(out, notice{"warning", "No self-verification results were published: can-i-deploy will not pass for this version."})
	} else if !in.SelfVerification.Success {
		out = append(out, notice{"warning", "The self-verification results are not successful: can-i-deploy will not pass for this version."})
	}
	return append(out, notice{"info", "  View the provider contract at " + href},
		notice{"info", "  Comparisons with consumer pacts run in the background; can-i-deploy reports unknown until they finish."})
}

// putProviderContract serves the legacy PUT /contracts/provider/{p}/version/{v}
// (bdct.md §1.2): 201 with the contract's link as pf:ui.
func (a *API) putProviderContract(c echo.Context) error {
	names, err := params(c, "provider", "version")
	if err != nil {
		return err
	}
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return err
	}
	in := decodeLegacyProviderContract(b, names[0], names[1])
	if err := b.err(); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if _, err := a.cfg.Commands.PublishProviderContract(ctx, in); err != nil {
		return err
	}
	href := a.providerContractHref(c, names[0], names[1])
	return hal(c, http.StatusCreated, map[string]any{"_links": Links{"self": Link{Href: href}, "pf:ui": Link{Href: href}}})
}

func (a *API) providerContractHref(c echo.Context, provider, version string) string {
	return a.href(c, "provider-contracts", "provider", provider, "version", version)
}

// getProviderContract serves a provider version's contract: its content
// (as published), its self-verification and links to its comparisons.
func (a *API) getProviderContract(c echo.Context) error {
	names, err := params(c, "provider", "version")
	if err != nil {
		return err
	}
	pc, ok := a.cfg.BDCT.Contracts.Contract(names[0], names[1])
	if !ok {
		return domain.NotFound("provider contract of %s version %s", names[0], names[1])
	}
	content, _ := a.cfg.BDCT.Contracts.Content(pc.SHA)
	self := a.providerContractHref(c, pc.Provider, pc.Version)
	return hal(c, http.StatusOK, map[string]any{
		"providerName": pc.Provider, "providerVersionNumber": pc.Version, "contentSha": pc.SHA,
		"contentType": optional(pc.ContentType), "specification": pc.Specification, "content": string(content.Content),
		"revision": pc.Revision, "createdAt": timestamp(pc.CreatedAt),
		"selfVerificationResults": selfVerificationJSON(pc),
		"_links": Links{"self": Link{Title: "Provider contract", Href: self},
			"pb:pacticipant-version": Link{Title: "Version", Name: pc.Version, Href: a.href(c, "pacticipants", pc.Provider, "versions", pc.Version)},
			"pf:comparisons":         Link{Title: "Comparisons with consumer pacts", Href: self + "/comparisons"}},
	})
}

func selfVerificationJSON(pc projections.ProviderContractView) any {
	sv := pc.SelfVerification
	if sv == nil {
		return nil
	}
	return map[string]any{"success": sv.Success, "content": base64.StdEncoding.EncodeToString(sv.Content),
		"contentType": optional(sv.ContentType), "format": optional(sv.Format), "verifier": optional(sv.Verifier),
		"verifierVersion": optional(sv.VerifierVersion)}
}
