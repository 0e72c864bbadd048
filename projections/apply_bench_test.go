package projections_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// replayLog builds the log of a small organisation in the shape cmd/pactbench
// generates: apps applications with versions versions each, on main; every
// application consumes the next two, whose pacts change content every tenth
// version (a PactContentStored); every provider version verifies the latest
// pact of each of its consumers and the one deployed in test; every second
// version is deployed to test, replacing the one before (AutoUndeployed).
// Events are at consecutive positions, a second apart.
func replayLog(apps, versions int) []events.Envelope {
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	var out []events.Envelope
	add := func(p events.Payload) {
		n := len(out) + 1
		out = append(out, events.Envelope{Type: p.EventType(), Position: uint64(n), StreamVersion: 1,
			OccurredAt: start.Add(time.Duration(n) * time.Second), Data: p})
	}
	name := func(i int) string { return fmt.Sprintf("app-%03d", (i+apps)%apps) }
	number := func(i, v int) string { return fmt.Sprintf("%07x", (i*7919+v*104729)&0xfffffff) }
	sha := func(c, p, v int) string { return fmt.Sprintf("%040x", c*1_000_000+p*1000+v/10) }
	env := "e2109ef4-0565-4b68-99f2-0c112f427698"
	add(events.EnvironmentCreated{UUID: env, Name: "test", DisplayName: "Test"})
	for i := range apps {
		add(events.PacticipantCreated{Name: name(i)})
		add(events.MainBranchDetected{Pacticipant: name(i), Branch: "main"})
	}
	deployed := make([]string, apps) // deployment id in test, by application
	testV := make([]int, apps)       // version deployed in test
	for v := range versions {
		for i := range apps {
			n := number(i, v)
			add(events.VersionCreated{Pacticipant: name(i), Number: n, BuildURL: "https://ci.example.com/" + name(i) + "/builds/" + n})
			add(events.VersionAddedToBranch{Pacticipant: name(i), Number: n, Branch: "main"})
			for _, p := range []int{i + 1, i + 2} {
				if v%10 == 0 {
					add(events.PactContentStored{SHA: sha(i, p%apps, v), Content: []byte(`{"interactions":[]}`)})
				}
				add(events.PactPublished{Consumer: name(i), Provider: name(p), ConsumerVersion: n, SHA: sha(i, p%apps, v), Revision: 1})
			}
		}
		for i := range apps {
			for _, c := range []int{i - 1, i - 2} {
				for k, cv := range []int{v, testV[(c+apps)%apps]} {
					add(events.VerificationPublished{Number: v*2 + k + 1, Consumer: name(c), Provider: name(i), SHA: sha((c+apps)%apps, i, cv),
						ProviderVersion: number(i, v), Success: (v+k)%13 != 0, BuildURL: "https://ci.example.com/" + name(i),
						VerifiedBy: &events.VerifiedBy{Implementation: "Pact-Rust", Version: "1.2.5"}})
				}
			}
			if v%2 == 0 {
				ref := events.DeploymentRef{DeploymentID: fmt.Sprintf("dep-%d-%d", i, v), Pacticipant: name(i), Version: number(i, v), EnvironmentUUID: env}
				add(events.DeploymentRecorded{DeploymentRef: ref})
				if deployed[i] != "" {
					old := events.DeploymentRef{DeploymentID: deployed[i], Pacticipant: name(i), Version: number(i, testV[i]), EnvironmentUUID: env}
					add(events.AutoUndeployed{DeploymentRef: old, ReplacedBy: ref.DeploymentID})
				}
				deployed[i], testV[i] = ref.DeploymentID, v
			}
		}
	}
	return out
}

var benchLog = replayLog(50, 200) // 10,000 versions, about 95,000 events

// BenchmarkApply measures Projector.Apply per event over benchLog into
// fresh read models, as a rebuild at start-up does (without decoding): an
// op is one event. When the log is used up the models are replaced, off the
// clock, and the log starts again.
func BenchmarkApply(b *testing.B) {
	models := map[string]func() []projections.Projector{
		"catalog":     func() []projections.Projector { return []projections.Projector{projections.NewCatalog()} },
		"deployments": func() []projections.Projector { return []projections.Projector{projections.NewDeployments()} },
		"contracts":   func() []projections.Projector { return []projections.Projector{projections.NewContracts()} },
		"all": func() []projections.Projector {
			return []projections.Projector{projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()}
		},
	}
	for _, name := range []string{"catalog", "deployments", "contracts", "all"} {
		b.Run(name, func(b *testing.B) {
			ps := models[name]()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := i % len(benchLog)
				if k == 0 && i > 0 {
					b.StopTimer()
					ps = models[name]()
					b.StartTimer()
				}
				for _, p := range ps {
					p.Apply(benchLog[k])
				}
			}
		})
	}
}

// BenchmarkRebuild decodes all of benchLog (encoded once, up front) and
// applies it to fresh read models, as a rebuild at start-up does minus the
// store: an op is the whole log. Decoding makes strings afresh (through an
// events.Decoder, as a subscription does), so the models retain only what
// they keep themselves. It
// reports events/s, and the live heap bytes and objects per application
// version after a collection (the design's budget is under 1 KiB per
// version; objects are what each collection marks).
func BenchmarkRebuild(b *testing.B) {
	reg := events.NewDefaultRegistry()
	recs, versions := encodeForBench(b, reg, benchLog)
	var kept []projections.Projector
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		kept = []projections.Projector{projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()}
		dec := events.NewLog(nil, reg).NewDecoder() // as a subscription decodes
		for _, r := range recs {
			e, err := dec.Decode(events.Record{ID: r.env.ID, Type: r.env.Type, Stream: r.env.Stream, StreamVersion: r.env.StreamVersion,
				Position: r.env.Position, OccurredAt: r.env.OccurredAt, Data: r.data})
			if err != nil {
				b.Fatal(err)
			}
			for _, m := range kept {
				m.Apply(e)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "events/s")
	reportHeapPerVersion(b, versions, func() { kept = nil })
}

// encodedBenchLog is benchLog encoded into an in-memory store, as a
// runner reads it.
func encodedBenchLog(b *testing.B) *events.Log {
	reg := events.NewDefaultRegistry()
	store := &sliceStore{}
	for _, e := range benchLog {
		data, err := reg.Encode(e.Data)
		if err != nil {
			b.Fatal(err)
		}
		store.recs = append(store.recs, events.Record{ID: uuid.New(), Type: e.Type, Stream: "s", StreamVersion: 1,
			Position: uint64(len(store.recs) + 1), OccurredAt: e.OccurredAt, Data: data})
	}
	log := events.NewLog(store, reg)
	return log
}

// BenchmarkRunnerCatchUp rebuilds fresh read models from benchLog, stored
// encoded, through a Runner (decode, then apply, as a start-up does minus
// the store): an op is one event; it reports events/s.
func BenchmarkRunnerCatchUp(b *testing.B) {
	log := encodedBenchLog(b)
	models := func() []projections.Projector {
		return []projections.Projector{projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()}
	}
	benchRunnerPasses(b, log, models, func(ctx context.Context, r *projections.Runner) error {
		return r.WaitFor(ctx, uint64(len(benchLog)))
	})
}

// benchRunnerPasses rebuilds fresh models from log through a Runner until
// caughtUp returns, as often as b.N events need (whole passes only), and
// reports ns and events per event.
func benchRunnerPasses(b *testing.B, log *events.Log, models func() []projections.Projector,
	caughtUp func(context.Context, *projections.Runner) error) {
	passes := (b.N + len(benchLog) - 1) / len(benchLog)
	b.ResetTimer()
	for range passes {
		r := projections.NewRunner(log, nil, models()...)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = r.Run(ctx) }()
		if err := caughtUp(ctx, r); err != nil {
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

// BenchmarkApplyBatch applies benchLog in runs of 1,024 events (what the
// Runner's handoff passes at most) to fresh models, either event by event
// to every model (Apply: a lock round per event per model) or model by
// model (ApplyBatch: a lock round per run of events), on one goroutine: an
// op is one event. Fresh models are made off the clock when the log is
// used up.
func BenchmarkApplyBatch(b *testing.B) {
	models := func() []projections.BatchApplier {
		return []projections.BatchApplier{projections.NewCatalog(), projections.NewDeployments(),
			projections.NewContracts(), projections.NewHistory()}
	}
	const run = 1024
	for _, byModel := range []bool{false, true} {
		b.Run(map[bool]string{false: "by-event", true: "by-model"}[byModel], func(b *testing.B) {
			ps := models()
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; {
				k := done % len(benchLog)
				if k == 0 && done > 0 {
					b.StopTimer()
					ps = models()
					b.StartTimer()
				}
				batch := benchLog[k:min(k+run, len(benchLog), k+b.N-done)]
				if byModel {
					for _, p := range ps {
						p.ApplyBatch(batch)
					}
				} else {
					for _, e := range batch {
						for _, p := range ps {
							p.Apply(e)
						}
					}
				}
				done += len(batch)
			}
		})
	}
}
