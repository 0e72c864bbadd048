package projections_test

import (
	"context"
	"testing"

	"github.com/pactledger/pactledger/projections"
)

// allModels returns fresh read models as the application feeds them
// (infra/app.ReadModels, without its comparison pool, which lives in infra).
func allModels() []projections.Projector {
	catalog, deployments, contracts, webhooks := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts(), projections.NewWebhooks()
	return []projections.Projector{projections.NewWebhookDeliveries("http://localhost", webhooks, catalog, deployments, contracts),
		catalog, deployments, contracts, webhooks, projections.NewTokens(), projections.NewProviderContracts(), projections.NewHistory()}
}

// BenchmarkRunnerCatchUpAll is BenchmarkRunnerCatchUp over every read model
// the application keeps, waiting with Runner.CatchUp as start-up does: an
// op is one event.
func BenchmarkRunnerCatchUpAll(b *testing.B) {
	log := encodedBenchLog(b)
	b.ReportAllocs()
	benchRunnerPasses(b, log, allModels, func(ctx context.Context, r *projections.Runner) error { return r.CatchUp(ctx) })
}
