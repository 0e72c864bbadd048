package projections

import (
	"bytes"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

// TestApplySkipsOnlyIgnoredEvents: every event type a model's Apply skips
// before locking (apply_skip.go) changes nothing when it does go through
// the model's switch, on models that hold the pacticipants, versions,
// pacts and deployments those events name. If a switch gains a case for a
// listed type, this fails until the type leaves the list.
func TestApplySkipsOnlyIgnoredEvents(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	env := "e2109ef4-0565-4b68-99f2-0c112f427698"
	ref := events.DeploymentRef{DeploymentID: "dep-1", Pacticipant: "a", Version: "1", EnvironmentUUID: env}
	ref2 := events.DeploymentRef{DeploymentID: "dep-2", Pacticipant: "a", Version: "2", EnvironmentUUID: env}
	setup := []events.Payload{
		events.EnvironmentCreated{UUID: env, Name: "test"},
		events.PacticipantCreated{Name: "a"}, events.PacticipantCreated{Name: "b"},
		events.VersionCreated{Pacticipant: "a", Number: "1"}, events.VersionCreated{Pacticipant: "b", Number: "9"},
		events.VersionAddedToBranch{Pacticipant: "a", Number: "1", Branch: "main"},
		events.PactContentStored{SHA: "s1", Content: []byte(`{"interactions":[]}`)},
		events.PactPublished{Consumer: "a", Provider: "b", ConsumerVersion: "1", SHA: "s1", Revision: 1},
		events.DeploymentRecorded{DeploymentRef: ref},
		events.ProviderContractPublished{Provider: "b", ProviderVersion: "9", SHA: "c1"},
	}
	// Every listed type, naming what setup made, and new things too.
	probes := []events.Payload{
		events.VersionCreated{Pacticipant: "a", Number: "2", BuildURL: "https://ci/2"},
		events.VersionCreated{Pacticipant: "c", Number: "1"},
		events.VersionAddedToBranch{Pacticipant: "a", Number: "1", Branch: "feat"},
		events.PactContentStored{SHA: "s2", Content: []byte(`{"interactions":[1]}`)},
		events.PactPublished{Consumer: "a", Provider: "b", ConsumerVersion: "1", SHA: "s2", Revision: 2},
		events.VerificationPublished{Number: 1, Consumer: "a", Provider: "b", SHA: "s1", ProviderVersion: "9", Success: true},
		events.DeploymentRecorded{DeploymentRef: ref2},
		events.AutoUndeployed{DeploymentRef: ref, ReplacedBy: "dep-2"},
		events.Undeployed{DeploymentRef: ref},
	}
	type model struct {
		snap    func() []byte
		apply   func(events.Envelope) // the switch, past the filter
		ignores func(events.Payload) bool
		all     Projector
	}
	catalog, contracts, depls, hooks, pcs := NewCatalog(), NewContracts(), NewDeployments(), NewWebhooks(), NewProviderContracts()
	models := map[string]model{
		"catalog":   {func() []byte { return catalog.AppendSnapshot(nil) }, catalog.apply, catalogIgnores, catalog},
		"contracts": {func() []byte { return contracts.AppendSnapshot(nil) }, contracts.apply, contractsIgnores, contracts},
		"deployments": {func() []byte { return depls.AppendSnapshot(nil) }, func(e events.Envelope) {
			depls.mu.Lock()
			defer depls.mu.Unlock()
			depls.apply(e)
		}, deploymentsIgnores, depls},
		"webhooks":           {func() []byte { return hooks.AppendSnapshot(nil) }, hooks.apply, webhooksIgnores, hooks},
		"provider-contracts": {func() []byte { return pcs.AppendSnapshot(nil) }, pcs.apply, providerContractsIgnores, pcs},
	}
	pos := uint64(0)
	envelope := func(p events.Payload) events.Envelope {
		pos++
		return events.Envelope{Type: p.EventType(), Position: pos, StreamVersion: 1, OccurredAt: at.Add(time.Duration(pos) * time.Second), Data: p}
	}
	for _, p := range setup {
		e := envelope(p)
		for _, m := range models {
			m.all.Apply(e)
		}
	}
	for name, m := range models {
		skipped := 0
		for _, p := range probes {
			if !m.ignores(p) {
				continue
			}
			skipped++
			before := m.snap()
			m.apply(envelope(p))
			if !bytes.Equal(before, m.snap()) {
				t.Errorf("%s skips %s before locking, but its switch changes the model for it", name, p.EventType())
			}
		}
		if skipped == 0 {
			t.Errorf("%s: no probe of a skipped type", name)
		}
	}
}
