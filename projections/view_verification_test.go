package projections_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// givenView applies payloads to all three read models, a second apart.
func givenView(ps ...events.Payload) *projections.ForVerification {
	v := projections.NewView(projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts())
	for i, p := range ps {
		e := events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: t0.Add(time.Duration(i) * time.Second), Data: p}
		v.Catalog.Apply(e)
		v.Deployments.Apply(e)
		v.Contracts.Apply(e)
	}
	return v.ForVerification()
}

func TestForVerificationReader(t *testing.T) {
	release := events.ReleaseRef{ReleaseID: "r1", Pacticipant: "Foo", Version: "1", EnvironmentUUID: "e-test"}
	r := givenView(
		events.EnvironmentCreated{UUID: "e-test", Name: "test"}, events.EnvironmentCreated{UUID: "e-prod", Name: "production", Production: true},
		events.PacticipantCreated{Name: "Foo", MainBranch: "main"}, events.PacticipantCreated{Name: "Bar"},
		version("Foo", "1"), events.VersionAddedToBranch{Pacticipant: "Foo", Number: "1", Branch: "main"}, // t0+5s
		version("Foo", "2"), events.VersionAddedToBranch{Pacticipant: "Foo", Number: "2", Branch: "main"},
		events.VersionTagged{Pacticipant: "Foo", Number: "2", Tag: "dev"}, // t0+8s
		events.VersionTagged{Pacticipant: "Foo", Number: "1", Tag: "dev"}, // tagged later, but older
		pact("Foo", "Bar", "1", "s1", 1), pact("Foo", "Bar", "2", "s2", 1),
		events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{DeploymentID: "d1", Pacticipant: "Foo", Version: "1", EnvironmentUUID: "e-prod"}},
		events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{DeploymentID: "d2", Pacticipant: "Foo", Version: "2", EnvironmentUUID: "e-test"}},
		events.ReleaseRecorded{ReleaseRef: release}, events.SupportEnded{ReleaseRef: release},
		version("Bar", "9"), result(1, "s2", "9", true), result(2, "s2", "9", false),
	)
	if main, ok := r.Application("Foo"); !ok || main != "main" {
		t.Fatalf("application: %q %v", main, ok)
	}
	if env, ok := r.Environment("production"); !ok || !env.Production {
		t.Fatalf("environment: %+v", env)
	}
	if b, ok := r.Branch("Foo", "main"); !ok || b.Head != "2" || !b.CreatedAt.Equal(t0.Add(5*time.Second)) || len(r.Branches("Foo")) != 1 {
		t.Fatalf("branch: %+v", b)
	}
	if tag, ok := r.Tag("Foo", "dev"); !ok || tag.Head != "2" || !tag.FirstCreatedAt.Equal(t0.Add(8*time.Second)) || len(r.Tags("Foo")) != 1 {
		t.Fatalf("tag: %+v", tag)
	}
	if _, ok := r.Tag("Foo", "nope"); ok {
		t.Fatal("unknown tag")
	}
	if got := r.Consumers("Bar"); !slices.Equal(got, []string{"Foo"}) {
		t.Fatalf("consumers: %v", got)
	}
	if p, ok := r.LatestPact("Foo", "Bar"); !ok || p.ConsumerVersion != "2" || p.SHA != "s2" || p.Order == 0 {
		t.Fatalf("latest pact: %+v", p)
	}
	if vs := r.VersionsWithTag("Foo", "dev"); len(vs) != 2 {
		t.Fatalf("versions with tag: %v", vs)
	}
	if v, ok := r.Version("Foo", "2"); !ok || !slices.Equal(v.Branches, []string{"main"}) || !slices.Equal(v.Tags, []string{"dev"}) {
		t.Fatalf("version: %+v", v)
	}
	all := r.InEnvironments("Foo", "")
	slices.SortFunc(all, func(a, b queries.EnvironmentVersionRef) int { return len(a.Environment.Name) - len(b.Environment.Name) })
	if len(all) != 2 || all[0] != (queries.EnvironmentVersionRef{Version: "2", Environment: queries.EnvironmentRef{Name: "test"}, Deployed: true}) ||
		all[1].Version != "1" || !all[1].Environment.Production {
		t.Fatalf("in environments (the ended release is gone): %+v", all)
	}
	if got := r.InEnvironments("Foo", "test"); len(got) != 1 || got[0].Version != "2" {
		t.Fatalf("in test: %+v", got)
	}
	if got := r.SuccessfulVerifications("Foo", "Bar", "s2"); len(got) != 1 || got[0].ProviderVersion != "9" {
		t.Fatalf("successful results: %+v", got)
	}
}
