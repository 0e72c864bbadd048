package projections_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// given applies payloads as consecutive log positions, a second apart.
func given(ps ...events.Payload) *projections.Contracts {
	c := projections.NewContracts()
	for i, p := range ps {
		c.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: t0.Add(time.Duration(i) * time.Second), Data: p})
	}
	return c
}

func version(p, n string) events.VersionCreated {
	return events.VersionCreated{Pacticipant: p, Number: n}
}

func pact(consumer, provider, v, sha string, rev int) events.PactPublished {
	return events.PactPublished{Consumer: consumer, Provider: provider, ConsumerVersion: v, SHA: sha, Revision: rev}
}

func result(n int, sha, providerVersion string, ok bool) events.VerificationPublished {
	return events.VerificationPublished{Number: n, Consumer: "Foo", Provider: "Bar", SHA: sha, ProviderVersion: providerVersion, Success: ok}
}

func pv(sha string) domain.PactVersionKey {
	return domain.PactVersionKey{Consumer: "Foo", Provider: "Bar", SHA: sha}
}

func TestContractsLatestPactsFollowVersionOrder(t *testing.T) {
	c := given(
		version("Foo", "1"), version("Foo", "2"), version("Bar", "9"),
		pact("Foo", "Bar", "2", "s2", 1),
		pact("Foo", "Bar", "1", "s1", 1), // published later, but for the older version
		pact("Foo", "Baz", "1", "s1", 1),
		events.PactContentStored{SHA: "s1", Content: []byte(`{"a":1}`), InteractionsCount: 1},
	)
	if p, _ := c.LatestPact("Foo", "Bar"); p.ConsumerVersion != "2" || p.SHA != "s2" {
		t.Fatalf("latest pact: %+v", p)
	}
	if got := c.PactsOfIntegration("Foo", "Bar"); len(got) != 2 || got[0].ConsumerVersion != "2" {
		t.Fatalf("pacts newest first: %+v", got)
	}
	if got := c.PactsOfConsumerVersion("Foo", "1"); len(got) != 2 || got[0].Provider != "Bar" || got[1].Provider != "Baz" {
		t.Fatalf("pacts of Foo 1: %+v", got)
	}
	if ig := c.IntegrationsOfProvider("Bar"); len(ig) != 1 || ig[0].Consumer != "Foo" || !ig[0].CreatedAt.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("integrations of Bar: %+v", ig)
	}
	if len(c.Integrations()) != 2 || len(c.IntegrationsOfConsumer("Foo")) != 2 || len(c.LatestPacts()) != 2 {
		t.Fatal("two integrations")
	}
	if ref, ok := c.ContentRef("s1"); !ok || !slices.Equal(ref.Positions, []uint64{7}) || ref.Size != len(`{"a":1}`) || ref.InteractionsCount != 1 {
		t.Fatalf("content: %+v", ref)
	}
	if _, ok := c.ContentRef("s2"); ok {
		t.Fatal("a ref to content never stored")
	}
}

func TestContractsRevisionsAndPreVerification(t *testing.T) {
	c := given(
		version("Foo", "1"), version("Foo", "2"),
		pact("Foo", "Bar", "1", "s1", 1),
		pact("Foo", "Bar", "2", "s1", 1), // same content: shares the pact version
		result(1, "s1", "9", false),
		result(2, "s1", "9", true),
		result(3, "s1", "10", false),
		pact("Foo", "Bar", "2", "s2", 2), // a second revision with other content
	)
	if got := c.ConsumerVersionsWithLatestSHA(pv("s1")); !slices.Equal(got, []string{"1"}) {
		t.Fatalf("versions whose latest pact has s1: %v", got)
	}
	v, ok := c.PactVersion(pv("s1"))
	if !ok || !slices.Equal(v.AllConsumerVersions, []string{"1", "2"}) {
		t.Fatalf("pact version s1: %+v", v)
	}
	if p, _ := c.Pact(domain.PactKey{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "2"}); p.SHA != "s2" || p.Revision != 2 {
		t.Fatalf("only the latest revision counts: %+v", p)
	}
	if l, _ := c.LatestVerificationFor(pv("s1"), "9"); l.Number != 2 || !l.Success {
		t.Fatalf("latest result of provider 9: %+v", l)
	}
	if l, _ := c.LatestVerification(pv("s1")); l.Number != 3 {
		t.Fatalf("latest result: %+v", l)
	}
	if got := c.LatestVerificationsByProviderVersion(pv("s1")); len(got) != 2 || got[0].Number != 2 || got[1].Number != 3 {
		t.Fatalf("per provider version: %+v", got)
	}
	if got := c.PactVersionsVerifiedBy("Bar", "9"); len(got) != 1 || got[0] != pv("s1") {
		t.Fatalf("verified by Bar 9: %+v", got)
	}
	if r, ok := c.Verification(pv("s1"), 2); !ok || r.ProviderVersion != "9" {
		t.Fatalf("result 2: %+v", r)
	}
}

func TestContractsForgetDeletedVersionsAndApplications(t *testing.T) {
	base := []events.Payload{
		version("Foo", "1"), version("Foo", "2"), version("Bar", "9"),
		pact("Foo", "Bar", "1", "s1", 1), pact("Foo", "Bar", "2", "s2", 1),
		result(1, "s1", "9", true),
	}
	c := given(append(slices.Clone(base), events.VersionDeleted{Pacticipant: "Bar", Number: "9"})...)
	if _, ok := c.LatestVerification(pv("s1")); ok || len(c.PactVersionsVerifiedBy("Bar", "9")) != 0 {
		t.Fatal("a deleted provider version's results go")
	}
	c = given(append(slices.Clone(base), events.VersionDeleted{Pacticipant: "Foo", Number: "1"})...)
	if c.PactVersionExists(pv("s1")) || len(c.PactsOfConsumerVersion("Foo", "1")) != 0 {
		t.Fatal("a deleted consumer version's pacts and their pact versions go")
	}
	if p, _ := c.LatestPact("Foo", "Bar"); p.ConsumerVersion != "2" {
		t.Fatal("the other pact stays")
	}
	c = given(append(slices.Clone(base), events.PactDeleted{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "2"},
		events.PactDeleted{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1"})...)
	if len(c.Integrations()) != 0 || len(c.PactsWithProvider("Bar")) != 0 {
		t.Fatal("an integration goes with its last pact")
	}
	for _, name := range []string{"Foo", "Bar"} {
		c = given(append(slices.Clone(base), events.PacticipantDeleted{Name: name})...)
		if len(c.Integrations()) != 0 || c.PactVersionExists(pv("s1")) || len(c.PactVersionsVerifiedBy("Bar", "9")) != 0 {
			t.Fatalf("deleting %s drops its pacts and results", name)
		}
	}
}

// TestContractsContentRefsFollowTheDomainFold checks refs point at the
// events domain.EvolvePactContent joins: every part of split content (in
// log order, other content's parts in between), the first complete
// document only, and a whole document that ends an unfinished split.
func TestContractsContentRefsFollowTheDomainFold(t *testing.T) {
	c := given(
		events.PactContentStored{SHA: "split", Part: 1, Parts: 2, Chunk: []byte(`{"a":`)},                // 1
		events.PactContentStored{SHA: "other", Content: []byte(`{}`)},                                    // 2
		events.PactContentStored{SHA: "split", Part: 2, Parts: 2, Chunk: []byte(`1}`), MessagesCount: 3}, // 3
		events.PactContentStored{SHA: "split", Content: []byte(`{"a":1}`)},                               // 4: stored already
		events.PactContentStored{SHA: "cut", Part: 1, Parts: 3, Chunk: []byte(`{"b"`)},                   // 5
		events.PactContentStored{SHA: "cut", Content: []byte(`{"b":2}`)},                                 // 6: whole, wins
		events.PactContentStored{SHA: "open", Part: 1, Parts: 2, Chunk: []byte(`{`)},                     // 7: never finished
	)
	for sha, want := range map[string]projections.PactContentRef{
		"split": {SHA: "split", Positions: []uint64{1, 3}, Size: 7, MessagesCount: 3, CreatedAt: t0.Add(2 * time.Second)},
		"other": {SHA: "other", Positions: []uint64{2}, Size: 2, CreatedAt: t0.Add(time.Second)},
		"cut":   {SHA: "cut", Positions: []uint64{6}, Size: 7, CreatedAt: t0.Add(5 * time.Second)},
	} {
		got, ok := c.ContentRef(sha)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v %v, want %+v", sha, got, ok, want)
		}
	}
	if ref, ok := c.ContentRef("open"); ok {
		t.Errorf("unfinished split content has a ref: %+v", ref)
	}
}
