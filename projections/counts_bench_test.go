package projections_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// BenchmarkContractCounts measures Contracts.Counts, the largest pass of
// GET /metrics, over 100 integrations × 100 consumer versions (10,000
// pacts, 1,000 pact versions) with 10 results each per pact version
// (10,000 results).
func BenchmarkContractCounts(b *testing.B) {
	c := projections.NewContracts()
	pos := uint64(0)
	apply := func(p events.Payload) {
		pos++
		c.Apply(events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: t0.Add(time.Duration(pos) * time.Second), Data: p})
	}
	for i := range 100 {
		consumer, provider := "consumer-"+strconv.Itoa(i), "provider-"+strconv.Itoa(i)
		for v := range 100 {
			number, sha := strconv.Itoa(v), consumer+"-sha-"+strconv.Itoa(v/10)
			apply(events.VersionCreated{Pacticipant: consumer, Number: number})
			apply(events.PactPublished{Consumer: consumer, Provider: provider, ConsumerVersion: number, SHA: sha, Revision: 1})
			apply(events.VerificationPublished{Number: v%10 + 1, Consumer: consumer, Provider: provider, SHA: sha,
				ProviderVersion: number, Success: v%3 > 0})
		}
	}
	if got := c.Counts(); got.PactPublications != 10_000 || got.PactVersions != 1_000 || got.Verifications != 10_000 {
		b.Fatalf("setup: %+v", got)
	}
	for b.Loop() {
		_ = c.Counts()
	}
}
