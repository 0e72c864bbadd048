package queries

import (
	"slices"
	"testing"
)

// limitGraph is spec/lib/pact_broker/matrix/repository_latestby_filtering_spec.rb:
// Foo 2 verified by Bar 20; a day later Foo 1 verified by Bar 10, 11 (failed), 12.
func limitGraph(fx *fixture) {
	fx.pact("Foo", "2", "Bar", "b").verify("Foo", "Bar", "b", "20", true).addDay().
		pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", true).verify("Foo", "Bar", "a", "11", false).
		verify("Foo", "Bar", "a", "12", true)
}

// mainBranches is repository_main_branch_spec.rb, "deploying a consumer
// with the main branches of the provider".
func mainBranches(fx *fixture) {
	fx.mainBranch("Bar", "develop").pact("Foo", "1", "Bar", "fb").
		branch("Bar", "1", "develop").verify("Foo", "Bar", "fb", "1", true).
		branch("Bar", "2", "develop").verify("Foo", "Bar", "fb", "2", true).
		branch("Bar", "3", "not-develop").verify("Foo", "Bar", "fb", "3", true).
		mainBranch("Baz", "main").pact("Foo", "1", "Baz", "fz").
		branch("Baz", "10", "main").verify("Foo", "Baz", "fz", "10", true).
		branch("Baz", "11", "main").verify("Foo", "Baz", "fz", "11", true).
		branch("Baz", "12", "not-main").verify("Foo", "Baz", "fz", "12", true)
}

// consumerMainBranches is the same spec's "deploying a provider with the main
// branches of the consumers".
func consumerMainBranches(fx *fixture) {
	for _, c := range []struct{ name, main string }{{"Foo", "develop"}, {"Beep", "main"}} {
		fx.mainBranch(c.name, c.main)
		for i, b := range []string{c.main, c.main, "not-" + c.main} {
			v := string(rune('1' + i))
			fx.branch(c.name, v, b).pact(c.name, v, "Bar", c.name+v).verify(c.name, "Bar", c.name+v, "1", true)
		}
	}
}

func TestMatrixRowScenarios(t *testing.T) {
	byName := func(opts MatrixQuery) func(MatrixReader) (MatrixResult, error) {
		opts.Selectors = sels(name("Foo"), name("Bar"))
		return matrix(opts)
	}
	runScenarios(t, []scenario{
		{
			name: "latestby cvp without limit keeps one row per consumer version", given: limitGraph,
			when: byName(MatrixQuery{LatestBy: "cvp"}),
			then: expect{rows: []string{"Foo1 Bar12 ok", "Foo2 Bar20 ok"}},
		},
		{
			name: "the limit applies before latestby and drops a whole integration", given: limitGraph,
			when: byName(MatrixQuery{LatestBy: "cvp", Limit: ptr(2)}),
			then: expect{rows: []string{"Foo1 Bar12 ok"}},
		},
		{
			name: "no latestby: a row per pact and verification", given: limitGraph,
			when: byName(MatrixQuery{Limit: ptr(10)}),
			then: expect{rows: []string{"Foo1 Bar12 ok", "Foo1 Bar11 fail", "Foo1 Bar10 ok", "Foo2 Bar20 ok"}},
		},
		{
			name: "cvpv keeps every provider version", given: limitGraph,
			when: byName(MatrixQuery{LatestBy: "cvpv"}),
			then: expect{deployable: "false", counts: "3/1/0", rows: []string{"Foo1 Bar12 ok", "Foo1 Bar11 fail", "Foo1 Bar10 ok", "Foo2 Bar20 ok"},
				reasons: []string{"The verification for the pact between any version of Foo and any version of Bar failed"}},
		},
		{
			// Ruby's Array#uniq compares reasons with eql?, which Reason does not
			// define, so two failures described alike stay two lines.
			name: "equal reason texts are not merged",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", false).
					pact("Foo", "2", "Bar", "b").verify("Foo", "Bar", "b", "20", false)
			},
			when: byName(MatrixQuery{LatestBy: "cvpv"}),
			then: expect{deployable: "false", counts: "0/2/0", reasons: []string{
				"The verification for the pact between any version of Foo and any version of Bar failed",
				"The verification for the pact between any version of Foo and any version of Bar failed"}},
		},
		{
			name: "cp keeps the highest-order provider version per integration", given: limitGraph,
			when: byName(MatrixQuery{LatestBy: "cp"}),
			then: expect{rows: []string{"Foo1 Bar12 ok"}},
		},
		{
			name: "the success filter runs after latestby",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "5", true).verify("Foo", "Bar", "a", "6", false)
			},
			when: byName(MatrixQuery{LatestBy: "cvp", Success: []Outcome{Succeeded}}),
			// The required Foo→Bar integration lost its row to the filter.
			then: expect{deployable: "null", counts: "0/0/1", noRows: true, reasons: []string{
				"There is no verified pact between any version of Foo and any version of Bar"}},
		},
		{
			name: "bi-directional pacts keep rows of both directions under the limit",
			given: func(fx *fixture) {
				for i, pair := range [][2]string{{"1", "2"}, {"3", "4"}, {"5", "6"}} {
					if i > 0 {
						fx.addDay()
					}
					fx.pact("Foo", pair[0], "Bar", "fb"+pair[0]).verify("Foo", "Bar", "fb"+pair[0], pair[1], true).
						pact("Bar", pair[1], "Foo", "bf"+pair[1]).verify("Bar", "Foo", "bf"+pair[1], pair[0], true)
				}
			},
			when: byName(MatrixQuery{Limit: ptr(4)}),
			then: expect{rows: []string{"Bar6 Foo5 ok", "Bar4 Foo3 ok", "Foo5 Bar6 ok", "Foo3 Bar4 ok"}},
		},
		{
			name: "without latestby every pact revision shows, newest revision first",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "old").verify("Foo", "Bar", "old", "1", true).pact("Foo", "1", "Bar", "new")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1"), name("Bar"))}),
			then: expect{deployable: "null", rows: []string{"Foo1 Bar? ? r2", "Foo1 Bar1 ok"}, reasons: []string{
				"There is no verified pact between version 1 of Foo and any version of Bar"}},
		},
		{
			name: "with latestby only the latest revision counts",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "old").verify("Foo", "Bar", "old", "1", true).pact("Foo", "1", "Bar", "new")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1"), name("Bar")), LatestBy: "cvpv"}),
			then: expect{rows: []string{"Foo1 Bar? ? r2"}},
		},
		{
			name: "without latestby every result of a provider version counts, with it the latest",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", false).verify("Foo", "Bar", "a", "2", true)
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1"), ver("Bar", "2"))}),
			then: expect{deployable: "false", rows: []string{"Foo1 Bar2 ok", "Foo1 Bar2 fail"}, reasons: []string{
				"The verification for the pact between version 1 of Foo and version 2 of Bar failed"}},
		},
		{
			name: "a single selector without inference: the version as consumer and as provider",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "1", true).verify("Foo", "Bar", "a", "2", false).
					pact("Baz", "7", "Foo", "z").verify("Baz", "Foo", "z", "1", true).pact("Baz", "8", "Foo", "z")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), LatestBy: "cvpv"}),
			// Baz 8 shares Baz 7's content, so Foo 1's result covers it too.
			then: expect{deployable: "false", counts: "3/1/0", rows: []string{"Baz8 Foo1 ok", "Baz7 Foo1 ok", "Foo1 Bar2 fail", "Foo1 Bar1 ok"},
				reasons: []string{textNoEnvironment, "The verification for the pact between version 1 of Foo and version 2 of Bar failed"}},
		},
		{
			name: "a single name-only selector: every pact of it, and every verified pact it provides",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "7", true).pact("Foo", "2", "Bar", "b").
					pact("Baz", "3", "Foo", "z").verify("Baz", "Foo", "z", "1", false).pact("Qux", "4", "Foo", "q")
			},
			when: matrix(MatrixQuery{Selectors: sels(name("Foo")), LatestBy: "cvpv", Limit: ptr(100)}),
			// Qux's unverified pact is not a row: the provider side is an inner join.
			then: expect{deployable: "null", counts: "1/1/1", rows: []string{"Baz3 Foo1 fail", "Foo2 Bar? ?", "Foo1 Bar7 ok"},
				reasons: []string{textNoEnvironment,
					"The verification for the pact between version 3 of Baz and any version of Foo failed",
					"There is no verified pact between any version of Foo and any version of Bar"}},
		},
		{
			name: "latest=true infers the latest version of the others",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true).version("Bar", "3")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), LatestBy: "cvp", Latest: true}),
			then: expect{deployable: "null", rows: []string{"Foo1 Bar? ?"}, reasons: []string{textNoEnvironment,
				"There is no verified pact between version 1 of Foo and the latest version of Bar (3)"}},
		},
		{
			name: "consumer with the provider's main branch heads", given: mainBranches,
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), MainBranch: ptr(true), Latest: true}),
			then: expect{deployable: "true", rows: []string{"Foo1 Bar2 ok", "Foo1 Baz11 ok"}, reasons: []string{textSuccessful},
				check: func(t *testing.T, res MatrixResult) {
					if got := branchesOf(res); !slices.Equal(got, []string{"Foo:", "Bar:develop", "Baz:main"}) {
						t.Errorf("resolved branches = %q", got)
					}
				}},
		},
		{
			name: "consumer with every version of the provider's main branches", given: mainBranches,
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), MainBranch: ptr(true)}),
			then: expect{rows: []string{"Foo1 Bar2 ok", "Foo1 Bar1 ok", "Foo1 Baz11 ok", "Foo1 Baz10 ok"}},
		},
		{
			name: "provider with the consumers' main branch heads", given: consumerMainBranches,
			when: matrix(MatrixQuery{Selectors: sels(ver("Bar", "1")), MainBranch: ptr(true), Latest: true}),
			then: expect{deployable: "true", rows: []string{"Beep2 Bar1 ok", "Foo2 Bar1 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "can-i-merge from the CLI: main branch heads, latestby cvp", given: mainBranches,
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), LatestBy: "cvp", Latest: true, MainBranch: ptr(true)}),
			then: expect{deployable: "true", rows: []string{"Foo1 Bar2 ok", "Foo1 Baz11 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "can-i-merge service: the latest main branch version, failures then success on one provider version",
			given: func(fx *fixture) {
				fx.mainBranch("A", "main_branch").mainBranch("B", "main_branch").branch("A", "1", "main_branch").
					pact("A", "1", "B", "ab").branch("B", "1", "main_branch").verify("A", "B", "ab", "1", false).
					verify("A", "B", "ab", "1", true).branch("B", "2", "dev").verify("A", "B", "ab", "2", true)
			},
			when: func(r MatrixReader) (MatrixResult, error) { return CanIMerge(r, "B") },
			// The latest result of B 1 for the pact (the success) is the one that counts.
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"A1 B1 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name:  "can-i-merge without a main branch version",
			given: func(fx *fixture) { fx.version("A", "1") },
			when:  func(r MatrixReader) (MatrixResult, error) { return CanIMerge(r, "A") },
			then:  expect{notFound: true},
		},
	})
}

func branchesOf(res MatrixResult) []string {
	var out []string
	for _, s := range res.Selectors {
		out = append(out, s.Pacticipant+":"+s.Branch)
	}
	return out
}

// TestRowOrderSortsNullFirst pins the display comparator: within a consumer
// version and provider, rows without a provider version (or verification)
// come before those with one, which run newest first.
func TestRowOrderSortsNullFirst(t *testing.T) {
	row := func(c string, cvOrder uint64, rev int, p string, pvOrder uint64, verOrder uint64) matrixRow {
		r := matrixRow{pact: &Pact{Consumer: c, Provider: p, Revision: rev}, cvOrder: cvOrder}
		if verOrder > 0 {
			r.ver, r.pvOrder = &Verification{Order: verOrder}, pvOrder
		}
		return r
	}
	rows := []matrixRow{
		row("B", 1, 1, "X", 0, 0), row("A", 1, 1, "X", 5, 9), row("A", 1, 1, "X", 0, 0), row("A", 2, 1, "X", 3, 3),
		row("A", 1, 2, "X", 1, 1), row("A", 1, 1, "X", 7, 8), row("A", 1, 1, "W", 1, 2), row("A", 1, 1, "X", 7, 10),
	}
	sortRows(rows)
	var got [][5]uint64
	for _, r := range rows {
		got = append(got, [5]uint64{uint64(r.pact.Consumer[0]), r.cvOrder, uint64(r.pact.Revision), uint64(r.pact.Provider[0]), verificationOrder(r)})
	}
	want := [][5]uint64{{'A', 2, 1, 'X', 3}, {'A', 1, 2, 'X', 1}, {'A', 1, 1, 'W', 2}, {'A', 1, 1, 'X', 0},
		{'A', 1, 1, 'X', 10}, {'A', 1, 1, 'X', 8}, {'A', 1, 1, 'X', 9}, {'B', 1, 1, 'X', 0}}
	if !slices.Equal(got, want) {
		t.Fatalf("order\n got %v\nwant %v", got, want)
	}
}
