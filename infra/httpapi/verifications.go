package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// verificationHref is a result's URL; numbers count per pact version.
func (a *API) verificationHref(c echo.Context, k domain.PactVersionKey, number int) string {
	return a.pactVersionHref(c, k, "") + "/verification-results/" + strconv.Itoa(number)
}

// verificationJSON renders a result as the Pact Broker's
// VerificationDecorator does (verifiedBy keys in snake_case).
func (a *API) verificationJSON(c echo.Context, v projections.VerificationView) map[string]any {
	name := "Pact between " + v.Consumer + " and " + v.Provider
	pactHref := a.pactVersionHref(c, v.PactVersionKey, "")
	if p, ok := a.pactOfVersion(v.PactVersionKey); ok {
		name = p.Name()
		pactHref = a.pactVersionHref(c, v.PactVersionKey, pactMetadata("cvn="+p.ConsumerVersion))
	}
	self := a.verificationHref(c, v.PactVersionKey, v.Number)
	out := map[string]any{
		"providerName": v.Provider, "providerApplicationVersion": v.ProviderVersion, "success": v.Success,
		"verificationDate": timestamp(v.VerificationDate),
		"_links": Links{
			"self":            Link{Title: "Verification result", Name: fmt.Sprintf("Verification result %d for %s", v.Number, name), Href: self},
			"pb:pact-version": Link{Title: "Pact", Name: name, Href: pactHref},
			"pb:triggered-webhooks": Link{Title: "Webhooks triggered by the publication of this verification result",
				Href: self + "/triggered-webhooks"},
		},
	}
	if v.BuildURL != "" {
		out["buildUrl"] = v.BuildURL
	}
	if len(v.TestResults) > 0 {
		out["testResults"] = v.TestResults
	}
	if by := v.VerifiedBy; by != nil {
		fields := map[string]string{"implementation": by.Implementation, "version": by.Version,
			"client_implementation": by.ClientLanguage, "client_test_framework": by.ClientTestFramework, "client_version": by.ClientVersion}
		verified := map[string]string{}
		for k, s := range fields {
			if s != "" {
				verified[k] = s
			}
		}
		out["verifiedBy"] = verified
	}
	return out
}

// publishVerification serves POST .../pact-version/{sha}[/metadata/{m}]/
// verification-results: 201 with Location, 404 for an unknown pact version.
func (a *API) publishVerification(c echo.Context) error {
	k, err := pactVersionParams(c)
	if err != nil {
		return err
	}
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return err
	}
	in := domain.PublishVerification{Pact: k}
	if ok := b.boolean("success", true); ok != nil {
		in.Success = *ok
	}
	if v := b.str("providerApplicationVersion", true); v != nil {
		in.ProviderVersion = *v
	}
	if u := b.str("buildUrl", false); u != nil {
		in.BuildURL = *u
	}
	if raw, ok := b.fields["testResults"]; ok && raw != nil {
		in.TestResults, _ = json.Marshal(raw)
	}
	in.VerifiedBy = verifiedBy(b)
	if d := b.str("verificationDate", false); d != nil {
		if t, err := time.Parse(time.RFC3339, *d); err != nil {
			b.errs.Add("verificationDate", "must be a date-time, e.g. 2021-01-01T00:00:00+00:00")
		} else {
			in.VerificationDate = &t
		}
	}
	if err := b.err(); err != nil {
		return err
	}
	in.WIP, in.Pending, in.Selectors = decodePactMetadata(c.Param("metadata"))
	ctx, cancel := a.writeContext(c)
	defer cancel()
	number, err := a.cfg.Commands.PublishVerification(ctx, in)
	if err != nil {
		return err
	}
	v, _ := a.cfg.Contracts.Verification(k, number)
	return created(c, a.verificationHref(c, k, number), a.verificationJSON(c, v))
}

// verifiedBy reads {"implementation", "version", "clientLanguage": {"name",
// "version", "testFramework"}}; anything but an object is a 400.
func verifiedBy(b *body) *events.VerifiedBy {
	raw, ok := b.fields["verifiedBy"]
	if !ok || raw == nil {
		return nil
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		b.errs.Add("verifiedBy", "must be an object")
		return nil
	}
	str := func(m map[string]any, key string) string { s, _ := m[key].(string); return s }
	lang, _ := obj["clientLanguage"].(map[string]any)
	return &events.VerifiedBy{Implementation: str(obj, "implementation"), Version: str(obj, "version"),
		ClientLanguage: str(lang, "name"), ClientVersion: str(lang, "version"), ClientTestFramework: str(lang, "testFramework")}
}

// getVerification serves .../verification-results/{number|latest}.
func (a *API) getVerification(c echo.Context) error {
	k, err := pactVersionParams(c)
	if err != nil {
		return err
	}
	var v projections.VerificationView
	var ok bool
	if n := c.Param("number"); n == "latest" {
		v, ok = a.cfg.Contracts.LatestVerification(k)
	} else if number, err := strconv.Atoi(n); err == nil {
		v, ok = a.cfg.Contracts.Verification(k, number)
	}
	if !ok {
		return domain.NotFound("verification result %s of pact version %s", c.Param("number"), k.SHA)
	}
	return hal(c, http.StatusOK, a.verificationJSON(c, v))
}

// latestVerificationsForConsumerVersion serves /verification-results/
// consumer/{c}/version/{v}/latest: the latest result of each pact the
// version holds; success only when every provider's latest one passed.
func (a *API) latestVerificationsForConsumerVersion(c echo.Context) error {
	ps, err := params(c, "consumer", "version")
	if err != nil {
		return err
	}
	if _, ok := a.cfg.Catalog.Version(ps[0], ps[1]); !ok {
		return domain.NotFound("version %s of %s", ps[1], ps[0])
	}
	successful, failed, unknown, results := []string{}, []string{}, []string{}, []map[string]any{}
	for _, p := range a.cfg.Contracts.PactsOfConsumerVersion(ps[0], ps[1]) {
		v, ok := a.cfg.Contracts.LatestVerification(p.PactVersionKey())
		switch {
		case !ok:
			unknown = append(unknown, p.Provider)
			continue
		case v.Success:
			successful = append(successful, p.Provider)
		default:
			failed = append(failed, p.Provider)
		}
		results = append(results, a.verificationJSON(c, v))
	}
	return hal(c, http.StatusOK, map[string]any{
		"success":         len(failed) == 0 && len(unknown) == 0,
		"providerSummary": map[string]any{"successful": successful, "failed": failed, "unknown": unknown},
		"_embedded":       map[string]any{"verificationResults": results},
		"_links": Links{"self": Link{Href: a.selfHref(c),
			Title: fmt.Sprintf("Latest verification results for consumer %s version %s", ps[0], ps[1])}},
	})
}
