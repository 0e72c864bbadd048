package projections_test

import (
	"maps"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// recount counts the pacts read model through its ordinary queries: every
// revision of every pact of every integration, and every result of every
// pact version those revisions name.
func recount(c *projections.Contracts) (publications, pactVersions, results, passed int, perVersion map[int]int) {
	seen := map[domain.PactVersionKey]bool{}
	revisions := map[[2]string]int{} // consumer version → revisions of its pacts
	for _, ig := range c.Integrations() {
		for _, p := range c.PactsOfIntegration(ig.Consumer, ig.Provider) {
			for _, rev := range c.PactRevisions(p.PactKey) {
				publications++
				revisions[[2]string{p.Consumer, p.ConsumerVersion}]++
				if seen[rev.PactVersionKey()] {
					continue
				}
				seen[rev.PactVersionKey()] = true
				pactVersions++
				for _, v := range c.Verifications(rev.PactVersionKey()) {
					results++
					if v.Success {
						passed++
					}
				}
			}
		}
	}
	perVersion = map[int]int{}
	for _, n := range revisions {
		perVersion[n]++
	}
	return publications, pactVersions, results, passed, perVersion
}

// TestContractCountsAgreeWithARecount applies a long random mix of
// publications, results and deletions (of pacts, versions and
// applications) and, after every event, compares Counts — whose result
// counts are kept in Apply — with a recount through the queries. Consumers
// have one provider or two, so both ways of grouping revisions by consumer
// version are taken.
func TestContractCountsAgreeWithARecount(t *testing.T) {
	rnd := rand.New(rand.NewPCG(8, 2026))
	names := []string{"Foo", "Qux", "Bar", "Baz"}
	pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }
	number := func() string { return strconv.Itoa(1 + rnd.IntN(4)) }
	c := projections.NewContracts()
	revisions := map[domain.PactKey]int{}
	results := map[domain.PactVersionKey]int{}
	deletions := 0
	for i := range 3000 {
		var p events.Payload
		consumer, provider, sha := pick(names[:2]), pick(names[2:]), pick([]string{"a", "b", "c"})
		switch op := rnd.IntN(20); {
		case op < 4:
			p = events.VersionCreated{Pacticipant: pick(names), Number: number()}
		case op < 10:
			k := domain.PactKey{Consumer: consumer, Provider: provider, ConsumerVersion: number()}
			revisions[k]++
			p = events.PactPublished{Consumer: consumer, Provider: provider, ConsumerVersion: k.ConsumerVersion, SHA: sha, Revision: revisions[k]}
		case op < 17:
			k := domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}
			results[k]++
			p = events.VerificationPublished{Number: results[k], Consumer: consumer, Provider: provider, SHA: sha,
				ProviderVersion: number(), Success: rnd.IntN(3) > 0}
		case op == 17:
			p = events.PactDeleted{Consumer: consumer, Provider: provider, ConsumerVersion: number()}
		case op == 18:
			p = events.VersionDeleted{Pacticipant: pick(names), Number: number()}
		default:
			if rnd.IntN(4) > 0 {
				continue // deleting an application wipes much; keep it rare
			}
			p = events.PacticipantDeleted{Name: pick(names)}
		}
		before := c.Counts()
		c.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: t0.Add(time.Duration(i) * time.Second), Data: p})
		got := c.Counts()
		if got.Verifications < before.Verifications {
			deletions++
		}
		pubs, pvs, all, passed, perVersion := recount(c)
		if got.PactPublications != pubs || got.PactVersions != pvs || got.Verifications != all || got.SuccessfulVerifications != passed {
			t.Fatalf("after event %d (%s %+v): counts publications %d, pact versions %d, results %d (%d passed); recount %d, %d, %d (%d)",
				i, p.EventType(), p, got.PactPublications, got.PactVersions, got.Verifications, got.SuccessfulVerifications, pubs, pvs, all, passed)
		}
		if !maps.Equal(got.RevisionsPerConsumerVersion, perVersion) {
			t.Fatalf("after event %d: revisions per consumer version %v, recount %v", i, got.RevisionsPerConsumerVersion, perVersion)
		}
	}
	if final := c.Counts(); deletions < 10 || final.Verifications == 0 {
		t.Fatalf("the mix did not exercise deletions (%d) or kept no results (%+v)", deletions, final)
	}
}

// TestContractCountsDistributionsAndTimes checks the histograms and the
// first and last times on a small log.
func TestContractCountsDistributionsAndTimes(t *testing.T) {
	c := given(
		version("Foo", "1"), version("Foo", "2"),
		pact("Foo", "Bar", "1", "s1", 1), // t0+2s
		pact("Foo", "Bar", "2", "s1", 1),
		pact("Foo", "Bar", "2", "s2", 2), // a second revision of Foo 2
		pact("Foo", "Baz", "2", "s3", 1), // t0+5s: Foo 2 has three revisions in all
		result(1, "s1", "9", true),       // t0+6s
		result(2, "s1", "10", false),
		result(1, "s2", "10", true), // t0+8s
	)
	got := c.Counts()
	if got.Integrations != 2 || got.PactPublications != 4 || got.PactVersions != 3 {
		t.Fatalf("counts: %+v", got)
	}
	if want := map[int]int{1: 1, 3: 1}; !maps.Equal(got.RevisionsPerConsumerVersion, want) {
		t.Fatalf("revisions per consumer version %v, want %v", got.RevisionsPerConsumerVersion, want)
	}
	if want := map[int]int{2: 1, 1: 1}; !maps.Equal(got.VerificationsPerPactVersion, want) {
		t.Fatalf("results per pact version %v, want %v", got.VerificationsPerPactVersion, want)
	}
	if got.Verifications != 3 || got.SuccessfulVerifications != 2 {
		t.Fatalf("results %d, passed %d", got.Verifications, got.SuccessfulVerifications)
	}
	for name, pair := range map[string][2]time.Time{
		"first publication": {got.FirstPublication, t0.Add(2 * time.Second)}, "last publication": {got.LastPublication, t0.Add(5 * time.Second)},
		"first result": {got.FirstVerification, t0.Add(6 * time.Second)}, "last result": {got.LastVerification, t0.Add(8 * time.Second)},
	} {
		if !pair[0].Equal(pair[1]) {
			t.Errorf("%s %v, want %v", name, pair[0], pair[1])
		}
	}
	if empty := projections.NewContracts().Counts(); !empty.FirstPublication.IsZero() || !empty.LastVerification.IsZero() {
		t.Fatalf("empty read model has times: %+v", empty)
	}
}
