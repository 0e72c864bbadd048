package projections

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

// BenchmarkHistoryIndexMemory applies b.N events shaped like a busy
// organisation's log (per application version: its creation, a branch, a
// tag, a pact with two providers, three verifications, a deployment that
// replaces the previous one), 300 applications, 3 environments, and
// reports the index's live heap per event and per application version
// (11 events each; issue 7's scale is 6.5 M events for 600,000 versions).
//
//	go test -run '^$' -bench HistoryIndexMemory -benchtime 2000000x ./projections/
func BenchmarkHistoryIndexMemory(b *testing.B) {
	payload := historyBenchPayloads()
	h := NewHistory()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := range b.N {
		p := payload(i)
		h.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: at.Add(time.Duration(i) * time.Millisecond), Data: p})
	}
	b.StopTimer()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	perEvent := float64(after.HeapAlloc-before.HeapAlloc) / float64(b.N)
	b.ReportMetric(perEvent, "heap-B/event")
	b.ReportMetric(perEvent*11, "heap-B/version")
	runtime.KeepAlive(h)
}

// BenchmarkHistoryApply is the index's share of a replay: Apply alone, on
// envelopes built beforehand (the same mix as above).
//
//	go test -run '^$' -bench HistoryApply -benchtime 1000000x ./projections/
func BenchmarkHistoryApply(b *testing.B) {
	payload := historyBenchPayloads()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	envs := make([]events.Envelope, b.N)
	for i := range envs {
		p := payload(i)
		envs[i] = events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: at.Add(time.Duration(i) * time.Millisecond), Data: p}
	}
	h := NewHistory()
	b.ResetTimer()
	for i := range b.N {
		h.Apply(envs[i])
	}
}

// historyBenchPayloads returns the i-th event of the benchmarks' log.
func historyBenchPayloads() func(i int) events.Payload {
	apps := make([]string, 300)
	for i := range apps {
		apps[i] = fmt.Sprintf("application-%03d", i)
	}
	envs := []string{"env-test", "env-staging", "env-production"}
	payload := func(i int) events.Payload {
		version, app := fmt.Sprintf("%d.%d.0", i/11/300, i%7), apps[(i/11)%len(apps)]
		provider := apps[(i/11+1)%len(apps)]
		ref := events.DeploymentRef{DeploymentID: "d", Pacticipant: app, Version: version, EnvironmentUUID: envs[i%3]}
		switch i % 11 {
		case 0:
			return events.VersionCreated{Pacticipant: app, Number: version}
		case 1:
			return events.VersionAddedToBranch{Pacticipant: app, Number: version, Branch: "main"}
		case 2:
			return events.VersionTagged{Pacticipant: app, Number: version, Tag: "prod"}
		case 3, 4:
			return events.PactPublished{Consumer: app, Provider: provider, ConsumerVersion: version}
		case 5, 6, 7:
			return events.VerificationPublished{Consumer: provider, Provider: app, ProviderVersion: version}
		case 8:
			return events.DeploymentRecorded{DeploymentRef: ref}
		case 9:
			return events.AutoUndeployed{DeploymentRef: ref}
		default:
			return events.PactContentStored{SHA: "x"}
		}
	}
	return payload
}
