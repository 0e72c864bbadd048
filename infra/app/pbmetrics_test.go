package app_test

import (
	"testing"
	"time"

	"github.com/pactledger/pactledger/infra/memstore"
)

// TestPactBrokerMetricsCountProviderContractsAndComparisons publishes two
// provider contracts (one self-verified, one incompatible and not) and a
// pact, deploys both provider versions so both are compared, and checks
// the pactledger section of GET /metrics.
func TestPactBrokerMetricsCountProviderContractsAndComparisons(t *testing.T) {
	b := startBDCT(t, memstore.New(), &fakeComparator{})
	b.publishContract("2.0.0", "main", openAPI, true)
	b.publishContract("3.0.0", "", openAPI+"x-incompatible: true\n", false)
	b.deploy("Bar", "2.0.0", "production")
	b.deploy("Bar", "3.0.0", "test")
	b.publishPact("1.0.0")

	var own map[string]any
	for i := 0; ; i++ { // comparisons run in the background: poll, bounded
		own = b.must(200, "GET", "/metrics", nil)["pactledger"].(map[string]any)
		if own["comparisons"].(map[string]any)["count"] == 2.0 {
			break
		}
		if i == 500 {
			t.Fatalf("comparisons never completed: %v", own)
		}
		time.Sleep(10 * time.Millisecond)
	}
	want := map[string]map[string]float64{
		"providerContracts": {"count": 2, "selfVerifiedCount": 1},
		"comparisons":       {"count": 2, "successCount": 1, "failureCount": 1},
	}
	for section, fields := range want {
		for k, w := range fields {
			if got := own[section].(map[string]any)[k]; got != w {
				t.Errorf("pactledger.%s.%s = %v, want %v", section, k, got, w)
			}
		}
	}
	if pacts := b.must(200, "GET", "/metrics", nil)["pactPublications"].(map[string]any); pacts["count"] != 1.0 {
		t.Fatalf("pactPublications: %v", pacts)
	}
}
