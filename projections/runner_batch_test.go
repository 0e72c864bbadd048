package projections_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// gated is a BatchApplier that refuses every batch holding position refuse
// (a BatchGate), so that a Runner applies one batch event by event and the
// others model by model; it records the positions it is given and how many
// batches it was allowed to take at once.
type gated struct {
	refuse  uint64
	seen    []uint64
	batched int // batches applied through ApplyBatch
}

func (*gated) Name() string              { return "gated" }
func (g *gated) Apply(e events.Envelope) { g.seen = append(g.seen, e.Position) }
func (g *gated) ApplyBatch(batch []events.Envelope) {
	g.batched++
	for _, e := range batch {
		g.Apply(e)
	}
}

func (g *gated) CanApplyBatch(batch []events.Envelope) bool {
	for _, e := range batch {
		if e.Position == g.refuse {
			return false
		}
	}
	return true
}

type batchModel interface {
	projections.BatchApplier
	AppendSnapshot([]byte) []byte
}

func batchModels() []batchModel {
	return []batchModel{projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts(), projections.NewHistory()}
}

// TestRunnerAppliesBatchesAsEventByEvent rebuilds the hot read models
// through a Runner (whose batches go model by model unless the gate
// refuses them) and event by event with Apply, and through ApplyBatch in
// uneven runs, from one log: all three must leave every model in the same
// state (equal snapshots), and every projector must get every position
// once, in order.
func TestRunnerAppliesBatchesAsEventByEvent(t *testing.T) {
	envs := replayLog(12, 60)
	reg := events.NewDefaultRegistry()
	store := &sliceStore{}
	log := events.NewLog(store, reg)
	for _, e := range envs {
		data, err := reg.Encode(e.Data)
		if err != nil {
			t.Fatal(err)
		}
		store.recs = append(store.recs, events.Record{ID: uuid.New(), Type: e.Type, Stream: "s", StreamVersion: 1,
			Position: uint64(len(store.recs) + 1), OccurredAt: e.OccurredAt, Data: data})
	}
	decoded := make([]events.Envelope, len(store.recs))
	dec := log.NewDecoder()
	for i, r := range store.recs {
		e, err := dec.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		decoded[i] = e
	}

	byEvent, byRuns, viaRunner := batchModels(), batchModels(), batchModels()
	for _, e := range decoded {
		for _, m := range byEvent {
			m.Apply(e)
		}
	}
	for k, n := 0, 1; k < len(decoded); k, n = k+n, n%700+37 { // runs of uneven lengths, some over batchLockRun
		run := decoded[k:min(k+n, len(decoded))]
		for _, m := range byRuns {
			m.ApplyBatch(run)
		}
	}
	g := &gated{refuse: uint64(len(decoded) / 2)}
	ps := []projections.Projector{g}
	for _, m := range viaRunner {
		ps = append(ps, m)
	}
	r := projections.NewRunner(log, nil, ps...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	if err := r.WaitFor(ctx, uint64(len(decoded))); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done

	for i, m := range byEvent {
		want := m.AppendSnapshot(nil)
		if got := byRuns[i].AppendSnapshot(nil); !bytes.Equal(got, want) {
			t.Errorf("%s: ApplyBatch in runs left a different state than Apply event by event", m.Name())
		}
		if got := viaRunner[i].AppendSnapshot(nil); !bytes.Equal(got, want) {
			t.Errorf("%s: the Runner left a different state than Apply event by event", m.Name())
		}
	}
	if len(g.seen) != len(decoded) {
		t.Fatalf("the gated projector got %d events, want %d", len(g.seen), len(decoded))
	}
	for i, pos := range g.seen {
		if pos != uint64(i+1) {
			t.Fatalf("the gated projector got position %d as event %d", pos, i+1)
		}
	}
	if g.batched == 0 {
		t.Error("no batch went model by model")
	}
}

// TestWebhookDeliveriesGateBatches checks when the webhook deliveries let a
// batch go model by model: with no webhook enabled and none that the batch
// may create or update; not once one is enabled, nor when the batch
// creates or updates one (it may enable it for the events after).
func TestWebhookDeliveriesGateBatches(t *testing.T) {
	webhooks := projections.NewWebhooks()
	wd := projections.NewWebhookDeliveries("http://broker", webhooks, projections.NewCatalog(),
		projections.NewDeployments(), projections.NewContracts())
	env := func(pos uint64, p events.Payload) events.Envelope {
		return events.Envelope{Position: pos, Type: p.EventType(), Data: p}
	}
	plain := []events.Envelope{env(1, events.PacticipantCreated{Name: "a"}), env(2, events.VersionCreated{Pacticipant: "a", Number: "1"})}
	created := events.WebhookCreated{UUID: "w1", Enabled: false, Events: []string{"contract_published"}}
	if !wd.CanApplyBatch(plain) {
		t.Error("refused a batch with no webhook anywhere")
	}
	if wd.CanApplyBatch(append(plain, env(3, created))) {
		t.Error("allowed a batch that creates a webhook")
	}
	webhooks.Apply(env(3, created))
	if !wd.CanApplyBatch(plain) {
		t.Error("refused a batch while the only webhook is disabled")
	}
	created.Enabled = true
	if wd.CanApplyBatch(append(plain, env(4, events.WebhookUpdated(created)))) {
		t.Error("allowed a batch that updates a webhook")
	}
	webhooks.Apply(env(4, events.WebhookUpdated(created)))
	if wd.CanApplyBatch(plain) {
		t.Error("allowed a batch while a webhook is enabled")
	}
}
