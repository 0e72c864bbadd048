package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// pbMetricsPath is the Pact Broker's metrics resource (pb:metrics): JSON
// counts, not Prometheus (that is MetricsPath).
const pbMetricsPath = "/metrics"

// metricsJSONRoutes registers GET /metrics.
func (a *API) metricsJSONRoutes(e *echo.Echo) {
	e.GET(pbMetricsPath, a.pbMetrics)
}

// count is the Pact Broker's {"count": n}.
type count struct {
	Count int `json:"count"`
}

// publicationCounts is pactPublications: count with the times of the oldest
// and newest publication (null when there is none).
type publicationCounts struct {
	Count int     `json:"count"`
	First *string `json:"first"`
	Last  *string `json:"last"`
}

type verificationCounts struct {
	Count        int     `json:"count"`
	SuccessCount int     `json:"successCount"`
	FailureCount int     `json:"failureCount"`
	First        *string `json:"first"`
	Last         *string `json:"last"`
}

type tagCounts struct {
	Count                        int `json:"count"`
	DistinctCount                int `json:"distinctCount"`
	DistinctWithPacticipantCount int `json:"distinctWithPacticipantCount"`
}

// distribution is the Pact Broker's {"distribution": {"<n>": count}}.
type distribution struct {
	Distribution map[string]int `json:"distribution"`
}

type deployedCounts struct {
	Count                  int `json:"count"`
	CurrentlyDeployedCount int `json:"currentlyDeployedCount"`
}

type releasedCounts struct {
	Count                   int `json:"count"`
	CurrentlySupportedCount int `json:"currentlySupportedCount"`
}

type outcomeCounts struct {
	Count        int `json:"count"`
	SuccessCount int `json:"successCount"`
	FailureCount int `json:"failureCount"`
}

type providerContractCounts struct {
	Count             int `json:"count"`
	SelfVerifiedCount int `json:"selfVerifiedCount"`
}

// ownMetrics are counts the Pact Broker has no key for, kept under
// "pactledger" so they never collide with one it may add.
type ownMetrics struct {
	ProviderContracts *providerContractCounts `json:"providerContracts,omitempty"`
	Comparisons       *outcomeCounts          `json:"comparisons,omitempty"`
}

// pbMetricsBody is the Pact Broker's metrics resource with the keys we can
// count exactly from the read models. Sections whose read model this server
// does not run (webhooks, deliveries, bi-directional contracts) are left
// out. Left out always: verificationResults.distinctCount and matrix.count
// (they would need a walk over every result or a join), and PactFlow-only
// keys.
type pbMetricsBody struct {
	Pacticipants                      count              `json:"pacticipants"`
	Integrations                      count              `json:"integrations"`
	PactPublications                  publicationCounts  `json:"pactPublications"`
	PactVersions                      count              `json:"pactVersions"`
	PactRevisionsPerConsumerVersion   distribution       `json:"pactRevisionsPerConsumerVersion"`
	VerificationResults               verificationCounts `json:"verificationResults"`
	VerificationResultsPerPactVersion distribution       `json:"verificationResultsPerPactVersion"`
	PacticipantVersions               count              `json:"pacticipantVersions"`
	Webhooks                          *count             `json:"webhooks,omitempty"`
	Tags                              tagCounts          `json:"tags"`
	TriggeredWebhooks                 *count             `json:"triggeredWebhooks,omitempty"`
	WebhookExecutions                 *count             `json:"webhookExecutions,omitempty"`
	Environments                      count              `json:"environments"`
	DeployedVersions                  deployedCounts     `json:"deployedVersions"`
	ReleasedVersions                  releasedCounts     `json:"releasedVersions"`
	Pactledger                        ownMetrics         `json:"pactledger"`
}

// pbMetrics answers GET /metrics as the Pact Broker does: application/
// hal+json without links. Every count is a counter or a pass over a small
// index of one read model (projections/counts.go); the read models are
// read one after the other, so under concurrent writes two sections may be
// a few events apart.
func (a *API) pbMetrics(c echo.Context) error {
	cat, pacts, deps := a.cfg.Catalog.Counts(), a.cfg.Contracts.Counts(), a.cfg.Deployments.Counts()
	body := pbMetricsBody{
		Pacticipants: count{cat.Pacticipants},
		Integrations: count{pacts.Integrations},
		PactPublications: publicationCounts{Count: pacts.PactPublications,
			First: timeOrNil(pacts.FirstPublication), Last: timeOrNil(pacts.LastPublication)},
		PactVersions:                    count{pacts.PactVersions},
		PactRevisionsPerConsumerVersion: distributionOf(pacts.RevisionsPerConsumerVersion),
		VerificationResults: verificationCounts{Count: pacts.Verifications, SuccessCount: pacts.SuccessfulVerifications,
			FailureCount: pacts.Verifications - pacts.SuccessfulVerifications,
			First:        timeOrNil(pacts.FirstVerification), Last: timeOrNil(pacts.LastVerification)},
		VerificationResultsPerPactVersion: distributionOf(pacts.VerificationsPerPactVersion),
		PacticipantVersions:               count{cat.Versions},
		Tags:                              tagCounts{cat.Tags, cat.DistinctTags, cat.DistinctTagsPerPacticipant},
		Environments:                      count{cat.Environments},
		DeployedVersions:                  deployedCounts{deps.Deployed, deps.CurrentlyDeployed},
		ReleasedVersions:                  releasedCounts{deps.Released, deps.CurrentlySupported},
	}
	if a.cfg.Webhooks != nil {
		body.Webhooks = &count{a.cfg.Webhooks.Count()}
	}
	if a.cfg.WebhookDeliveries != nil {
		d := a.cfg.WebhookDeliveries.Counts()
		body.TriggeredWebhooks, body.WebhookExecutions = &count{d.Triggered}, &count{d.Attempts}
	}
	if a.cfg.BDCT != nil && a.cfg.BDCT.Contracts != nil {
		pc := a.cfg.BDCT.Contracts.Counts()
		body.Pactledger.ProviderContracts = &providerContractCounts{pc.Contracts, pc.SelfVerified}
		body.Pactledger.Comparisons = &outcomeCounts{pc.Comparisons, pc.SuccessfulComparisons, pc.Comparisons - pc.SuccessfulComparisons}
	}
	return hal(c, http.StatusOK, body)
}

// timeOrNil is the Pact Broker's timestamp, or null for the zero time.
func timeOrNil(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := timestamp(t)
	return &s
}

// distributionOf renders a histogram with its keys as JSON strings.
func distributionOf(m map[int]int) distribution {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[strconv.Itoa(k)] = v
	}
	return distribution{out}
}
