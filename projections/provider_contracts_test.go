package projections_test

import (
	"slices"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

func givenContracts(ps ...events.Payload) *projections.ProviderContracts {
	m := projections.NewProviderContracts()
	for i, p := range ps {
		m.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: t0, Data: p})
	}
	return m
}

func contract(provider, version, sha string, ok bool) events.ProviderContractPublished {
	return events.ProviderContractPublished{Provider: provider, ProviderVersion: version, SHA: sha, Specification: "oas",
		Revision: 1, SelfVerification: &events.SelfVerification{Success: ok}}
}

func TestProviderContractsIndexContractsContentAndComparisons(t *testing.T) {
	m := givenContracts(
		events.ProviderContractContentStored{SHA: "c1", ContentType: "application/yaml", Content: []byte("a: 1")},
		contract("Bar", "1", "c1", true),
		contract("Bar", "2", "c1", false),
		contract("Bar", "3", "c1", true),
		contract("Bar", "3", "c2", true), // republished with other content
		events.ComparisonCompleted{PactSHA: "p1", ContractSHA: "c1", Success: true},
		events.ComparisonCompleted{PactSHA: "p1", ContractSHA: "c1", Success: false}, // a duplicate never replaces the first
		events.ComparisonCompleted{PactSHA: "p1", ContractSHA: "c2", Success: false},
		events.VersionDeleted{Pacticipant: "Bar", Number: "1"},
	)
	if v, ok := m.Contract("Bar", "3"); !ok || v.SHA != "c2" || !v.SelfVerified() || v.Position != 5 {
		t.Fatalf("contract of Bar 3: %+v", v)
	}
	if v, _ := m.Contract("Bar", "2"); v.SelfVerified() {
		t.Fatal("a failed self-verification reads as passed")
	}
	if _, ok := m.Contract("Bar", "1"); ok {
		t.Fatal("a deleted version keeps its contract")
	}
	if got := m.VersionsWithContract("Bar", "c1"); !slices.Equal(got, []string{"2"}) {
		t.Fatalf("versions with c1: %v", got)
	}
	if c, ok := m.Comparison(domain.ComparisonKey{PactSHA: "p1", ContractSHA: "c1"}); !ok || !c.Success || c.Position != 6 {
		t.Fatalf("comparison: %+v", c)
	}
	if got := m.ContractsComparedWith("p1"); !slices.Equal(got, []string{"c1", "c2"}) {
		t.Fatalf("contracts compared with p1: %v", got)
	}
	if got := m.PactsComparedWith("c2"); !slices.Equal(got, []string{"p1"}) {
		t.Fatalf("pacts compared with c2: %v", got)
	}
	if c, ok := m.Content("c1"); !ok || string(c.Content) != "a: 1" {
		t.Fatalf("content: %+v", c)
	}
	m.Apply(events.Envelope{Position: 20, Data: events.PacticipantDeleted{Name: "Bar"}})
	if m.HasContracts("Bar") || len(m.VersionsWithContract("Bar", "c2")) != 0 {
		t.Fatal("a deleted application keeps contracts")
	}
}
