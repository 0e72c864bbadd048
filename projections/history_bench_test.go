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

// BenchmarkHistoryPositions is the index's share of a page: 100 positions
// for typical filters over a 1,000,000-event index (the mix above), and
// PositionAt.
//
//	go test -run '^$' -bench HistoryPositions -benchmem ./projections/
func BenchmarkHistoryPositions(b *testing.B) {
	payload := historyBenchPayloads()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := NewHistory()
	const n = 1_000_000
	for i := range n {
		p := payload(i)
		h.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: at.Add(time.Duration(i) * time.Millisecond), Data: p})
	}
	mid := at.Add(n / 2 * time.Millisecond)
	cases := []struct {
		name string
		f    HistoryFilter
	}{
		{"pacticipant", HistoryFilter{Pacticipant: "application-123"}},
		{"pacticipant+environment", HistoryFilter{Pacticipant: "application-123", Environment: "env-production"}},
		{"pacticipant+type", HistoryFilter{Pacticipant: "application-123", Types: []string{"DeploymentRecorded"}}},
		{"type", HistoryFilter{Types: []string{"DeploymentRecorded"}}},
		{"from", HistoryFilter{From: mid}},
		{"pacticipant+from", HistoryFilter{Pacticipant: "application-123", From: mid}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for i := range b.N {
				after := uint64(i*7919) % (n / 2)
				if got := h.Positions(c.f, after, 100); len(got) == 0 {
					b.Fatal("no positions")
				}
			}
		})
	}
	b.Run("PositionAt", func(b *testing.B) {
		for i := range b.N {
			h.PositionAt(at.Add(time.Duration(i*7919%n) * time.Millisecond))
		}
	})
}

// BenchmarkHistoryHeap reports the index's live heap per event after GC,
// for the mix above at three spacings of the events' times: a replayed
// burst (equal times and microseconds apart), a millisecond apart, and a
// busy organisation's log (requests of 1 to 4 events a few seconds apart,
// times to the nanosecond); "restored" is the last one rebuilt from a
// snapshot, as a start-up has it.
//
//	go test -run '^$' -bench HistoryHeap -benchtime 2000000x ./projections/
func BenchmarkHistoryHeap(b *testing.B) {
	spacings := []struct {
		name string
		step func(i int) time.Duration
	}{
		{"burst", func(i int) time.Duration { return time.Duration(i%3) * 1700 }},
		{"millisecond", func(int) time.Duration { return time.Millisecond }},
		{"requests", func(i int) time.Duration {
			if i%3 != 0 {
				return time.Duration(20_000 + i*7919%50_000)
			}
			return time.Duration(1+i*7919%5) * time.Second / 2
		}},
	}
	payload := historyBenchPayloads()
	build := func(n int, step func(int) time.Duration) *History {
		h := NewHistory()
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			at = at.Add(step(i))
			p := payload(i)
			h.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: at, Data: p})
		}
		return h
	}
	measure := func(b *testing.B, make func() *History) {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		h := make()
		runtime.GC()
		runtime.ReadMemStats(&after)
		perEvent := float64(after.HeapAlloc-before.HeapAlloc) / float64(b.N)
		b.ReportMetric(perEvent, "heap-B/event")
		b.ReportMetric(perEvent*11, "heap-B/version")
		runtime.KeepAlive(h)
	}
	for _, s := range spacings {
		b.Run(s.name, func(b *testing.B) { measure(b, func() *History { return build(b.N, s.step) }) })
	}
	b.Run("restored", func(b *testing.B) {
		snap := build(b.N, spacings[2].step).AppendSnapshot(nil)
		measure(b, func() *History {
			h := NewHistory()
			if err := h.RestoreSnapshot(snap); err != nil {
				b.Fatal(err)
			}
			return h
		})
		runtime.KeepAlive(snap)
	})
}
