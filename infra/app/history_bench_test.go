package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/queries"
)

// benchLog fills an embedded JetStream store (no fsync) with 50,000 events:
// 500 applications, each version created and deployed, so one application's
// events are spread thinly over the whole log.
func benchLog(b *testing.B) *App {
	b.Helper()
	ctx := context.Background()
	s, err := jetstream.Open(ctx, jetstream.Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	a := Start(s, Options{})
	b.Cleanup(a.Close)
	envStream, _ := events.StreamID("environments")
	if _, err := a.Log.Append(ctx, envStream, events.NoStream, events.Envelope{ID: uuid.New(), OccurredAt: time.Now(),
		Data: events.EnvironmentCreated{UUID: "env-prod", Name: "production"}}); err != nil {
		b.Fatal(err)
	}
	const apps, versions = 500, 50
	for v := range versions {
		for p := range apps {
			app, number := fmt.Sprintf("app-%03d", p), fmt.Sprintf("1.%d", v)
			vs, _ := events.StreamID("version", app, number)
			ds, _ := events.StreamID("deployment", app, "env-prod")
			now := time.Now()
			if _, err := a.Log.Append(ctx, vs, events.NoStream, events.Envelope{ID: uuid.New(), OccurredAt: now,
				Data: events.VersionCreated{Pacticipant: app, Number: number}}); err != nil {
				b.Fatal(err)
			}
			if _, err := a.Log.Append(ctx, ds, events.Any, events.Envelope{ID: uuid.New(), OccurredAt: now,
				Data: events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{DeploymentID: uuid.NewString(),
					Pacticipant: app, Version: number, EnvironmentUUID: "env-prod"}}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := a.Runner.CatchUp(ctx); err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkHistoryPageJetStream reads pages of 100 entries of one
// application (every 1,000th event of a 50,000-event log) from embedded
// JetStream: one index scan and 100 point reads per page.
//
//	go test -run '^$' -bench HistoryPageJetStream -benchtime 20x ./infra/app/
func BenchmarkHistoryPageJetStream(b *testing.B) {
	a := benchLog(b)
	h := historyService{a.History, a.Log}
	b.ResetTimer()
	for range b.N {
		page, err := h.ReadHistory(context.Background(), queries.HistoryQuery{Pacticipant: "app-123", Limit: 100})
		if err != nil || len(page.Entries) != 100 {
			b.Fatalf("%d entries, %v", len(page.Entries), err)
		}
	}
}

// BenchmarkTimeTravelRebuildJetStream rebuilds the read models at the head
// of a 50,000-event log on embedded JetStream, as an uncached at= or
// position= request does; it reports events replayed per second.
//
//	go test -run '^$' -bench TimeTravelRebuildJetStream -benchtime 3x ./infra/app/
func BenchmarkTimeTravelRebuildJetStream(b *testing.B) {
	a := benchLog(b)
	head := a.Runner.Position()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, err := RebuildModels(context.Background(), a.Log, head); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(head)*float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkHistoryPageAllJetStream reads pages of 100 consecutive entries
// (no filter) from embedded JetStream: one scan of 100 events per page.
//
//	go test -run '^$' -bench HistoryPageAllJetStream -benchtime 20x ./infra/app/
func BenchmarkHistoryPageAllJetStream(b *testing.B) {
	a := benchLog(b)
	h := historyService{a.History, a.Log}
	b.ResetTimer()
	for i := range b.N {
		page, err := h.ReadHistory(context.Background(), queries.HistoryQuery{After: uint64(i * 1000), Limit: 100})
		if err != nil || len(page.Entries) != 100 {
			b.Fatalf("%d entries, %v", len(page.Entries), err)
		}
	}
}
