package app

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// TestLatestVerificationsMatchesTheGeneralPath compares the reader's
// one-pass LatestVerifications with LatestPerProviderVersion of the full
// Verifications list, AppendPacts with Pacts, and VersionStamp with
// Version, on generated read
// models where provider versions publish several results for one pact
// version (in shuffled order), some pact versions have more results than
// the linear search handles, and some versions are deleted.
func TestLatestVerificationsMatchesTheGeneralPath(t *testing.T) {
	c, d, k := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()
	m := matrixReader{View: projections.NewView(c, d, k)}
	rng := rand.New(rand.NewPCG(11, 12))
	pos := uint64(0)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	add := func(p events.Payload) {
		pos++
		e := events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: at.Add(time.Duration(pos) * time.Second), Data: p}
		c.Apply(e)
		d.Apply(e)
		k.Apply(e)
	}
	add(events.PacticipantCreated{Name: "consumer"})
	add(events.PacticipantCreated{Name: "provider"})
	shas := []string{"a1", "b2", "c3"}
	for v := range 10 {
		n := fmt.Sprint(v)
		add(events.VersionCreated{Pacticipant: "consumer", Number: n})
		add(events.PactPublished{Consumer: "consumer", Provider: "provider", ConsumerVersion: n, SHA: shas[v%len(shas)], Revision: 1})
	}
	numbers := map[string]int{}
	for pv := range 40 {
		add(events.VersionCreated{Pacticipant: "provider", Number: fmt.Sprintf("p%d", pv)})
	}
	for range 400 {
		sha, i := shas[rng.IntN(len(shas))], rng.IntN(40)
		if sha == "c3" && i > 3 { // c3: few provider versions (the linear search)
			continue
		}
		pv := fmt.Sprintf("p%d", i)
		numbers[sha]++
		add(events.VerificationPublished{Number: numbers[sha], Consumer: "consumer", Provider: "provider", SHA: sha,
			ProviderVersion: pv, Success: rng.IntN(3) > 0})
	}
	add(events.VersionDeleted{Pacticipant: "provider", Number: "p7"})
	for _, sha := range shas {
		all := m.Verifications("consumer", "provider", sha, "")
		if len(all) == 0 {
			t.Fatalf("%s: no results generated", sha)
		}
		got, want := m.LatestVerifications("consumer", "provider", sha), queries.LatestPerProviderVersion(all)
		if !slices.Equal(got, want) {
			t.Errorf("%s: LatestVerifications = %v, want %v", sha, got, want)
		}
		if len(got) >= len(all) {
			t.Errorf("%s: %d latest of %d results: the data has no repeated provider versions", sha, len(got), len(all))
		}
	}
	prefix := []queries.Pact{{Consumer: "kept"}}
	for v := range 11 {
		n := fmt.Sprint(v)
		want := append(slices.Clone(prefix), m.Pacts("consumer", n)...)
		if got := m.AppendPacts(slices.Clone(prefix), "consumer", n); !slices.Equal(got, want) {
			t.Errorf("AppendPacts(consumer %s) = %v, want %v", n, got, want)
		}
	}
	for _, p := range []string{"consumer", "provider", "nobody"} {
		for _, n := range []string{"0", "9", "p0", "p7", "p39", "x"} {
			var v queries.VersionInfo
			ok := m.ReadVersion(&v, p, n)
			// Into used buffers: the same version, written over them.
			used := queries.VersionInfo{Number: "old", Branches: make([]queries.BranchMembership, 3, 8), Tags: make([]queries.TagMembership, 2, 8)}
			array := &used.Branches[0]
			if uok := m.ReadVersion(&used, p, n); uok != ok || ok && (used.Number != v.Number || !slices.Equal(used.Branches, v.Branches) ||
				!slices.Equal(used.Tags, v.Tags) || len(v.Branches) > 0 && &used.Branches[0] != array) {
				t.Errorf("%s %s: ReadVersion into used buffers = %+v, %v; into none %+v, %v", p, n, used, uok, v, ok)
			}
			order, created, sok := m.VersionStamp(p, n)
			if ok != sok || order != v.Order || !created.Equal(v.CreatedAt) {
				t.Errorf("%s %s: VersionStamp = %d, %v, %v; Version = %d, %v, %v", p, n, order, created, sok, v.Order, v.CreatedAt, ok)
			}
		}
	}
}

// TestConsumersAndProvidersAreTheIntegrations checks that the names-only
// Consumers and Providers list what the integrations tables do, for
// applications with several integrations, one, or none.
func TestConsumersAndProvidersAreTheIntegrations(t *testing.T) {
	m := benchModels(6, 3)
	for _, app := range []string{"app-000", "app-003", "app-005", "nobody"} {
		var consumers, providers []string
		for _, ig := range m.Contracts.IntegrationsOfProvider(app) {
			consumers = append(consumers, ig.Consumer)
		}
		for _, ig := range m.Contracts.IntegrationsOfConsumer(app) {
			providers = append(providers, ig.Provider)
		}
		gotC, gotP := slices.Sorted(slices.Values(m.AppendConsumers(nil, app))), slices.Sorted(slices.Values(m.Providers(app)))
		if !slices.Equal(gotC, consumers) || !slices.Equal(gotP, providers) {
			t.Errorf("%s: consumers %v, providers %v; integrations say %v and %v", app, gotC, gotP, consumers, providers)
		}
		if app != "nobody" && (len(gotC) != 2 || len(gotP) != 2) {
			t.Errorf("%s: %d consumers and %d providers, want 2 each", app, len(gotC), len(gotP))
		}
	}
}

// TestAnswersDoNotDependOnEarlierQueries: queries share pooled buffers
// (queries/matrix_scratch.go) and their answers share lists within one
// result; answering the same queries in the opposite order, each answer
// twice, gives equal answers, an answer kept from the first pass is not
// changed by the queries after it, and every row shows its own versions'
// branches and environments.
func TestAnswersDoNotDependOnEarlierQueries(t *testing.T) {
	m := buildBenchModels(12, 40, true)
	type ask func() (queries.MatrixResult, error)
	var asks []ask
	for a := range 12 {
		for _, v := range []int{39, 38, 20, 1} {
			q := queries.CanIDeployQuery{Pacticipant: queries.Str(fmt.Sprintf("app-%03d", a)),
				Version: queries.Str(fmt.Sprintf("%d.0.%d", a, v)), Environment: queries.Str("production")}
			asks = append(asks, func() (queries.MatrixResult, error) { return queries.CanIDeploy(m, q) })
		}
		mq := queries.MatrixQuery{Selectors: []queries.Selector{{Pacticipant: fmt.Sprintf("app-%03d", a)},
			{Pacticipant: fmt.Sprintf("app-%03d", (a+1)%12)}}, LatestBy: queries.LatestByConsumerVersionProviderVersion}
		asks = append(asks, func() (queries.MatrixResult, error) { return queries.Matrix(m, mq) })
	}
	first := make([]queries.MatrixResult, len(asks))
	snapshot := make([]string, len(asks))
	rows := 0
	for i, a := range asks {
		res, err := a()
		if err != nil {
			t.Fatal(err)
		}
		first[i], snapshot[i] = res, fmt.Sprintf("%+v", res)
		rows += len(res.Rows)
	}
	for i := len(asks) - 1; i >= 0; i-- {
		for range 2 {
			res, err := asks[i]()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, first[i]) {
				t.Fatalf("query %d answered %+v again, %+v first", i, res, first[i])
			}
		}
	}
	for i := range first {
		if got := fmt.Sprintf("%+v", first[i]); got != snapshot[i] {
			t.Fatalf("answer %d changed after later queries: %s, was %s", i, got, snapshot[i])
		}
	}
	// Rows share lists within an answer: each still shows its own version's.
	check := func(name string, d queries.VersionDetails) {
		var v queries.VersionInfo
		if !m.ReadVersion(&v, name, d.Number) {
			t.Fatalf("%s %s: no such version", name, d.Number)
		}
		if envs := m.AppendCurrentEnvironments(nil, name, d.Number); !slices.Equal(d.Branches, v.Branches) || !slices.Equal(d.Environments, envs) {
			t.Fatalf("%s %s shows branches %v, environments %v; the reader gives %v, %v", name, d.Number, d.Branches, d.Environments, v.Branches, envs)
		}
	}
	for _, res := range first {
		for _, r := range res.Rows {
			check(r.Consumer, r.ConsumerVersion)
			if r.ProviderVersion != nil {
				check(r.Provider, *r.ProviderVersion)
			}
		}
	}
	if rows < 3*len(asks) {
		t.Fatalf("only %d rows in %d answers: the queries do not exercise rendering", rows, len(asks))
	}
}
