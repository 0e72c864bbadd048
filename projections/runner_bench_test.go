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
	passes := (b.N + len(benchLog) - 1) / len(benchLog)
	b.ReportAllocs()
	b.ResetTimer()
	for range passes {
		r := projections.NewRunner(log, nil, allModels()...)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = r.Run(ctx) }()
		if err := r.CatchUp(ctx); err != nil {
			b.Fatal(err)
		}
		cancel()
		<-done
	}
	b.StopTimer()
	n := passes * len(benchLog)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/op")
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
