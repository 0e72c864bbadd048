package projections_test

import (
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// BenchmarkApplyWithWebhookTriggers is BenchmarkApply's "all" with the
// webhook-deliveries projector in front (as infra/app registers it): with
// no webhook, and with one webhook that every deployment triggers (a
// trigger, with its parameters, per DeploymentRecorded). An op is one event.
func BenchmarkApplyWithWebhookTriggers(b *testing.B) {
	for _, withHook := range []bool{false, true} {
		name := "no-webhook"
		if withHook {
			name = "deployment-webhook"
		}
		b.Run(name, func(b *testing.B) {
			fresh := func() []projections.Projector {
				c, d, k, w := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts(), projections.NewWebhooks()
				if withHook {
					w.Apply(events.Envelope{Position: 0, Data: events.WebhookCreated{UUID: "w", Enabled: true,
						Events: []string{"deployment_recorded"}, Request: events.WebhookRequest{Method: "POST", URL: "https://x"}}})
				}
				return []projections.Projector{projections.NewWebhookDeliveries("http://broker", w, c, d, k), c, d, k, w}
			}
			ps := fresh()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := i % len(benchLog)
				if k == 0 && i > 0 {
					b.StopTimer()
					ps = fresh()
					b.StartTimer()
				}
				for _, p := range ps {
					p.Apply(benchLog[k])
				}
			}
		})
	}
}
