package projections_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// dumpContracts writes everything the model answers about a small world of
// names, numbers and SHAs through its exported API.
func dumpContracts(c *projections.Contracts, names, numbers, shas []string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	visit := func(v *projections.PactView, latest bool) { p("  rev %+v %v", *v, latest) }
	vv := func(vs ...projections.VerificationView) string { // the verifier's details, not their address
		var out strings.Builder
		for _, v := range vs {
			by := v.VerifiedBy
			v.VerifiedBy = nil
			fmt.Fprintf(&out, "%+v by ", v)
			if by != nil {
				fmt.Fprintf(&out, "%+v", *by)
			}
		}
		return out.String()
	}
	p("integrations %+v", c.Integrations())
	p("latest %+v", c.LatestPacts())
	for _, sha := range shas {
		v, ok := c.Content(sha)
		p("content %s %q %+v %v", sha, v.Content, v.CreatedAt, ok)
	}
	for _, n := range names {
		withProvider := c.PactsWithProvider(n) // in no order
		slices.SortFunc(withProvider, func(a, b domain.PactKey) int {
			return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.ConsumerVersion, b.ConsumerVersion))
		})
		p("%s: %+v %+v %+v", n, c.IntegrationsOfConsumer(n), c.IntegrationsOfProvider(n), withProvider)
		for _, num := range numbers {
			p("%s %s: %+v verified %+v", n, num, c.PactsOfConsumerVersion(n, num), c.PactVersionsVerifiedBy(n, num))
			c.EachPactRevisionOfConsumerVersion(n, num, visit)
		}
		for _, m := range names {
			p("%s→%s: %+v", n, m, c.PactsOfIntegration(n, m))
			c.EachPactRevisionOfIntegration(n, m, visit)
			for _, num := range numbers {
				p("revisions %+v", c.PactRevisions(domain.PactKey{Consumer: n, Provider: m, ConsumerVersion: num}))
			}
			for _, sha := range shas {
				k := domain.PactVersionKey{Consumer: n, Provider: m, SHA: sha}
				pv, ok := c.PactVersion(k)
				p("pv %+v %v all %s by pv %s", pv, ok, vv(c.Verifications(k)...), vv(c.LatestVerificationsByProviderVersion(k)...))
				c.EachPactRevisionWithContent(k, visit)
				for _, num := range append([]string{""}, numbers...) {
					v, ok := c.LatestVerificationFor(k, num)
					r, _ := c.LatestVerificationResult(k, num)
					p("latest for %s: %s %v %+v", num, vv(v), ok, r)
					c.EachVerificationResult(k, num, func(r projections.VerificationResult) { p("  result %+v", r) })
				}
			}
		}
	}
	p("counts %+v", c.Counts())
	return b.String()
}

// TestContractsIndexesSurviveDeletionsAndReuse applies a long random mix of
// publications (some merged, some with content), results (some with the
// rare parts: a verifier's date, test results, selectors) and deletions,
// so that freed pacts, pact versions, versions and links are reused; every
// so often it restores a snapshot into a fresh model, whose indexes are
// rebuilt from scratch, and checks that both answer every query alike.
func TestContractsIndexesSurviveDeletionsAndReuse(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 2026))
	names, shas := []string{"Foo", "Qux", "Bar", "Baz"}, []string{"a", "b", "c", "d"}
	numbers := []string{"1", "2", "3", "4", "5"}
	pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }
	c := projections.NewContracts()
	revisions := map[domain.PactKey]int{}
	results := map[domain.PactVersionKey]int{}
	checks, deletes := 0, 0
	for i := range 4000 {
		var p events.Payload
		consumer, provider, sha := pick(names[:3]), pick(names[1:]), pick(shas)
		switch op := rnd.IntN(24); {
		case op < 4:
			p = events.VersionCreated{Pacticipant: pick(names), Number: pick(numbers)}
		case op < 10:
			k := domain.PactKey{Consumer: consumer, Provider: provider, ConsumerVersion: pick(numbers)}
			revisions[k]++
			p = events.PactPublished{Consumer: consumer, Provider: provider, ConsumerVersion: k.ConsumerVersion, SHA: sha,
				Revision: revisions[k], Merged: rnd.IntN(5) == 0}
		case op < 12:
			p = events.PactContentStored{SHA: sha, Content: []byte(strings.Repeat(`{"interaction":"`+sha+`"},`, 1+rnd.IntN(20))),
				InteractionsCount: rnd.IntN(5)}
		case op < 19:
			k := domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}
			results[k]++
			v := events.VerificationPublished{Number: results[k], Consumer: consumer, Provider: provider, SHA: sha,
				ProviderVersion: pick(numbers), Success: rnd.IntN(3) > 0, BuildURL: "https://ci/" + strconv.Itoa(rnd.IntN(3)),
				WIP: rnd.IntN(4) == 0, Pending: rnd.IntN(4) == 0}
			if rnd.IntN(3) == 0 {
				v.VerifiedBy = &events.VerifiedBy{Implementation: "Pact-Rust", Version: strconv.Itoa(rnd.IntN(2))}
			}
			if rnd.IntN(4) == 0 {
				d := t0.Add(-time.Duration(rnd.IntN(1000)) * time.Minute)
				v.VerificationDate, v.TestResults, v.Selectors = &d, []byte(`{"tests":[]}`), []byte(`[{"latest":true}]`)
			}
			p = v
		case op < 21:
			p = events.PactDeleted{Consumer: consumer, Provider: provider, ConsumerVersion: pick(numbers)}
			deletes++
		case op < 23:
			p = events.VersionDeleted{Pacticipant: pick(names), Number: pick(numbers)}
			deletes++
		default:
			if rnd.IntN(4) > 0 {
				continue
			}
			p = events.PacticipantDeleted{Name: pick(names)}
			deletes++
		}
		c.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: t0.Add(time.Duration(i) * time.Second), Data: p})
		if i%97 != 0 {
			continue
		}
		restored := projections.NewContracts()
		if err := restored.RestoreSnapshot(c.AppendSnapshot(nil)); err != nil {
			t.Fatal(err)
		}
		want, got := dumpContracts(c, names, numbers, shas), dumpContracts(restored, names, numbers, shas)
		if got != want {
			j := 0
			for j < len(got) && j < len(want) && got[j] == want[j] {
				j++
			}
			t.Fatalf("after event %d: restored model answers differently at byte %d:\n%.300s\nlive:\n%.300s", i, j, got[max(0, j-100):], want[max(0, j-100):])
		}
		checks++
	}
	if final := c.Counts(); checks < 40 || deletes < 100 || final.Verifications == 0 || final.PactPublications == 0 {
		t.Fatalf("the mix did not exercise enough: %d checks, %d deletions, %+v", checks, deletes, final)
	}
}
