package httpapi

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// listIntegrations serves GET /integrations: every consumer→provider pair
// that has pacts, shaped as the Pact Broker's IntegrationDecorator (the
// dashboard, group and delete targets are not served by pactledger yet).
func (a *API) listIntegrations(c echo.Context) error {
	items := []map[string]any{}
	for _, ig := range a.cfg.Contracts.Integrations() {
		matrix := "/matrix/provider/" + url.PathEscape(ig.Provider) + "/consumer/" + url.PathEscape(ig.Consumer)
		items = append(items, map[string]any{
			"consumer": map[string]string{"name": ig.Consumer},
			"provider": map[string]string{"name": ig.Provider},
			"_links": Links{
				"pb:dashboard": Link{Title: "BETA: Pacts to show on the dashboard",
					Href: a.href(c, "dashboard", "provider", ig.Provider, "consumer", ig.Consumer)},
				"pb:matrix": Link{Title: fmt.Sprintf("Matrix of pacts/verification results for %s and %s", ig.Consumer, ig.Provider),
					Href: matrix},
				"pb:group": Link{Href: a.href(c, "pacticipants", ig.Consumer)},
				"pb:delete_integration": Link{Title: fmt.Sprintf("Delete the integration between %s and %s", ig.Consumer, ig.Provider),
					Href: a.href(c, "integrations", "provider", ig.Provider, "consumer", ig.Consumer)},
			},
		})
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"integrations": items},
		"_links":    Links{"self": Link{Href: a.selfHref(c), Title: "All integrations"}},
	})
}
