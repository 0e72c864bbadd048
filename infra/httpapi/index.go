package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// indexRelations are the index's relations as the Pact Broker serves them:
// relation, path template, title. Relations whose routes other work adds
// (pacts, webhooks, matrix) are listed already so clients find them.
var indexRelations = [][3]string{
	{"pb:publish-pact", "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}", "Publish a pact"},
	{"pb:publish-contracts", "/contracts/publish", "Publish contracts"},
	{"pb:latest-pact-versions", "/pacts/latest", "Latest pact versions"},
	{"pb:tagged-pact-versions", "/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}", "All versions of a pact for a given consumer, provider and consumer version tag"},
	{"pb:branch-pact-versions", "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}", "All versions of pacts for a provider, for a named consumers branch"},
	{"pb:latest-branch-pact-versions", "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions", "Latest version of pact for a provider, for a named consumers branch"},
	{"pb:main-branch-pact-versions", "/pacts/provider/{provider}/consumer/{consumer}/branch/versions", "All versions of pacts for a provider, for a named consumers main branch"},
	{"pb:latest-main-branch-pact-versions", "/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions", "Latest version of pact for a provider, for a named consumers main branch"},
	{"pb:provider-pacts-with-main-branch", "/pacts/provider/{provider}/branch", "All pacts for a provider, for any consumers main branch"},
	{"pb:provider-pacts-with-branch", "/pacts/provider/{provider}/branch/{branch}", "All pacts for a provider, for any consumers named branch"},
	{"pb:latest-provider-pacts-with-main-branch", "/pacts/provider/{provider}/branch/latest", "Latest pact for a provider, for any consumers main branch"},
	{"pb:latest-provider-pacts-with-branch", "/pacts/provider/{provider}/branch/{branch}/latest", "Latest pacts for a provider, for any consumers named branch"},
	{"pb:pacticipants", "/pacticipants", "Pacticipants"},
	{"pb:pacticipant", "/pacticipants/{pacticipant}", "Fetch pacticipant by name"},
	{"pb:latest-provider-pacts", "/pacts/provider/{provider}/latest", "Latest pacts by provider"},
	{"pb:latest-provider-pacts-with-tag", "/pacts/provider/{provider}/latest/{tag}", "Latest pacts for provider with the specified tag"},
	{"pb:provider-pacts-with-tag", "/pacts/provider/{provider}/tag/{tag}", "All pact versions for the provider with the specified consumer version tag"},
	{"pb:provider-pacts", "/pacts/provider/{provider}", "All pact versions for the specified provider"},
	{"pb:latest-version", "/pacticipants/{pacticipant}/latest-version", "Latest pacticipant version"},
	{"pb:latest-tagged-version", "/pacticipants/{pacticipant}/latest-version/{tag}", "Latest pacticipant version with the specified tag"},
	{"pb:webhooks", "/webhooks", "Webhooks"},
	{"pb:webhook", "/webhooks/{uuid}", "Webhook"},
	{"pb:integrations", "/integrations", "Integrations"},
	{"pb:pacticipant-version-tag", "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", "Get, create or delete a tag for a pacticipant version"},
	{"pb:pacticipant-branch", "/pacticipants/{pacticipant}/branches/{branch}", "Get or delete a pacticipant branch"},
	{"pb:pacticipant-branch-version", "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}", "Get or add/create a pacticipant version for a branch"},
	{"pb:pacticipant-version", "/pacticipants/{pacticipant}/versions/{version}", "Get, create or delete a pacticipant version"},
	{"pb:can-i-deploy-pacticipant-version-to-environment", "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}", "Determine if an application version can be safely deployed to an environment"},
	{"pb:provider-pacts-for-verification", "/pacts/provider/{provider}/for-verification", "Pact versions to be verified for the specified provider"},
	{"pb:environments", "/environments", "Environments"},
	{"pb:environment", "/environments/{uuid}", "Environment"},
	{"pf:publish-provider-contract", "/provider-contracts/provider/{provider}/publish", "Publish provider contract"},
	{"pb:metrics", "/metrics", "Get Pact Broker metrics"},
}

func (a *API) index(c echo.Context) error {
	links := Links{"self": Link{Href: a.base(c), Title: "Index"}}
	for _, r := range indexRelations {
		links[r[0]] = Link{Href: a.template(c, r[1]), Title: r[2], Templated: strings.Contains(r[1], "{")}
	}
	links["curies"] = []Link{{Name: "pb", Href: a.template(c, "/doc/{rel}?context=index"), Templated: true}}
	return hal(c, http.StatusOK, map[string]any{"_links": links})
}
