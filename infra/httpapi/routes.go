package httpapi

import (
	"github.com/labstack/echo/v4"
)

// routes registers every endpoint. Paths follow the Pact Broker's.
func (a *API) routes(e *echo.Echo) {
	e.GET("/", a.index)

	e.GET("/environments", a.listEnvironments)
	e.POST("/environments", a.createEnvironment)
	e.GET("/environments/:uuid", a.getEnvironment)
	e.PUT("/environments/:uuid", a.updateEnvironment)
	e.DELETE("/environments/:uuid", a.deleteEnvironment)
	e.GET("/environments/:uuid/deployed-versions/currently-deployed", a.currentlyDeployed)
	e.GET("/environments/:uuid/released-versions/currently-supported", a.currentlySupported)

	e.GET("/pacticipants", a.listPacticipants)
	e.POST("/pacticipants", a.createPacticipant)
	e.GET("/pacticipants/:pacticipant", a.getPacticipant)
	e.PUT("/pacticipants/:pacticipant", a.replacePacticipant)
	e.PATCH("/pacticipants/:pacticipant", a.patchPacticipant)
	e.DELETE("/pacticipants/:pacticipant", a.deletePacticipant)

	e.GET("/pacticipants/:pacticipant/versions", a.listVersions)
	e.GET("/pacticipants/:pacticipant/versions/:version", a.getVersion)
	e.PUT("/pacticipants/:pacticipant/versions/:version", a.putVersion)
	e.PATCH("/pacticipants/:pacticipant/versions/:version", a.patchVersion)
	e.DELETE("/pacticipants/:pacticipant/versions/:version", a.deleteVersion)
	e.GET("/pacticipants/:pacticipant/latest-version", a.latestVersion)
	e.GET("/pacticipants/:pacticipant/latest-version/:tag", a.latestTaggedVersion)

	e.GET("/pacticipants/:pacticipant/versions/:version/tags/:tag", a.getTag)
	e.PUT("/pacticipants/:pacticipant/versions/:version/tags/:tag", a.putTag)
	e.DELETE("/pacticipants/:pacticipant/versions/:version/tags/:tag", a.deleteTag)

	e.GET("/pacticipants/:pacticipant/branches", a.listBranches)
	e.GET("/pacticipants/:pacticipant/branches/:branch", a.getBranch)
	e.DELETE("/pacticipants/:pacticipant/branches/:branch", a.deleteBranch)
	e.GET("/pacticipants/:pacticipant/branches/:branch/latest-version", a.branchHead)
	e.GET("/pacticipants/:pacticipant/branches/:branch/versions/:version", a.getBranchVersion)
	e.PUT("/pacticipants/:pacticipant/branches/:branch/versions/:version", a.putBranchVersion)
	e.DELETE("/pacticipants/:pacticipant/branches/:branch/versions/:version", a.deleteBranchVersion)

	e.GET("/pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid", a.versionDeployments)
	e.POST("/pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid", a.recordDeployment)
	e.GET("/deployed-versions/:id", a.getDeployedVersion)
	e.PATCH("/deployed-versions/:id", a.patchDeployedVersion)

	e.GET("/pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid", a.versionReleases)
	e.POST("/pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid", a.recordRelease)
	e.GET("/released-versions/:id", a.getReleasedVersion)
	e.PATCH("/released-versions/:id", a.patchReleasedVersion)

	a.contractRoutes(e)
	a.matrixRoutes(e)
	a.webhookRoutes(e)
	a.providerContractRoutes(e)
	a.eventRoutes(e)
	a.webhookDeliveryRoutes(e)
	a.historyRoutes(e)
	a.metricsJSONRoutes(e)
}

// contractRoutes registers pacts, verification results and integrations.
func (a *API) contractRoutes(e *echo.Echo) {
	e.POST("/contracts/publish", a.publishContracts)
	e.GET("/pacts/latest", a.latestPacts)
	e.GET("/integrations", a.listIntegrations)

	const pair = "/pacts/provider/:provider/consumer/:consumer"
	e.GET(pair+"/version/:version", a.getPact)
	e.PUT(pair+"/version/:version", a.putPact)
	e.PATCH(pair+"/version/:version", a.patchPact)
	e.DELETE(pair+"/version/:version", a.deletePact)
	e.GET(pair+"/versions", a.pactVersions)
	e.GET(pair+"/latest", a.latestPact(selectLatest))
	e.GET(pair+"/latest/:tag", a.latestPact(selectTag))
	e.GET(pair+"/latest-untagged", a.latestPact(selectUntagged))
	e.GET(pair+"/branch/:branch/latest", a.latestPact(selectBranch))
	e.GET(pair+"/tag/:tag", a.pairPactList(selectTag, false))
	e.GET(pair+"/branch/:branch", a.pairPactList(selectBranch, false))
	e.GET(pair+"/branch/:branch/latest/versions", a.pairPactList(selectBranch, true))
	e.GET(pair+"/branch/versions", a.pairPactList(selectMainBranch, false))
	e.GET(pair+"/branch/latest/versions", a.pairPactList(selectMainBranch, true))

	const provider = "/pacts/provider/:provider"
	e.GET(provider, a.providerPactList(selectLatest, false))
	e.GET(provider+"/latest", a.providerPactList(selectLatest, true))
	e.GET(provider+"/latest/:tag", a.providerPactList(selectTag, true))
	e.GET(provider+"/tag/:tag", a.providerPactList(selectTag, false))
	e.GET(provider+"/branch", a.providerPactList(selectMainBranch, false))
	e.GET(provider+"/branch/latest", a.providerPactList(selectMainBranch, true))
	e.GET(provider+"/branch/:branch", a.providerPactList(selectBranch, false))
	e.GET(provider+"/branch/:branch/latest", a.providerPactList(selectBranch, true))
	e.POST("/pacts/provider/:provider/for-verification", a.postPactsForVerification)
	e.GET("/pacts/provider/:provider/for-verification", a.getPactsForVerification)

	for _, pv := range []string{pair + "/pact-version/:sha", pair + "/pact-version/:sha/metadata/:metadata"} {
		e.GET(pv, a.getPactVersion)
		e.POST(pv+"/verification-results", a.publishVerification)
		e.GET(pv+"/verification-results/:number", a.getVerification)
	}
	e.GET("/verification-results/consumer/:consumer/version/:version/latest", a.latestVerificationsForConsumerVersion)
}
