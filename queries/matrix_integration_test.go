package queries

import "testing"

// Scenarios derived from pact_broker spec/lib/pact_broker/matrix/integration_spec.rb
// and its approved reasons in spec/fixtures/approvals/matrix_integration_spec.approved.json.
// The texts are what ReasonDecorator renders for those reason classes.
func TestMatrixIntegrationScenarios(t *testing.T) {
	prodOpts := func(sel Selector) func(MatrixReader) (MatrixResult, error) {
		return matrix(MatrixQuery{Selectors: sels(sel), Latest: true, Tag: "prod", LatestBy: "cvp"})
	}
	runScenarios(t, []scenario{
		{
			name: "name-only selector with latest prod inference finds the integration",
			given: func(fx *fixture) {
				fx.pact("foo", "1", "bar", "a").verify("foo", "bar", "a", "2", true).tag("bar", "2", "prod")
			},
			when: prodOpts(name("foo")),
			then: expect{deployable: "true", reasons: []string{textSuccessful}, counts: "1/0/0", rows: []string{"foo1 bar2 ok"},
				check: func(t *testing.T, res MatrixResult) {
					if len(res.Selectors) != 2 || len(res.Integrations) != 1 {
						t.Errorf("selectors %d, integrations %d; want 2 and 1", len(res.Selectors), len(res.Integrations))
					}
				}},
		},
		{
			name: "provider with several prod consumer versions, the newest unverified",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").tag("Foo", "1", "prod").verify("Foo", "Bar", "a", "10", true).tag("Bar", "10", "test").
					pact("Foo", "2", "Bar", "b").tag("Foo", "2", "prod")
			},
			when: matrix(MatrixQuery{Selectors: sels(Selector{Pacticipant: "Bar", Latest: true, Tag: "test"}), Tag: "prod", LatestBy: "cvp"}),
			then: expect{deployable: "null", counts: "1/0/1", rows: []string{"Foo2 Bar? ?", "Foo1 Bar10 ok"}, reasons: []string{
				textNoVersionNumber,
				"There is no verified pact between a version of Foo with tag prod (2) and the latest version of Bar with tag test (10)"}},
		},
		{
			name:  "consumer not verified by any of its two providers",
			given: func(fx *fixture) { fx.pact("Foo", "1", "Bar", "a").pact("Foo", "1", "Baz", "b") },
			when:  prodOpts(ver("Foo", "1")),
			then: expect{deployable: "null", counts: "0/0/2", rows: []string{"Foo1 Bar? ?", "Foo1 Baz? ?"}, reasons: []string{
				"There is no verified pact between version 1 of Foo and the latest version of Bar with tag prod (no such version exists)",
				"There is no verified pact between version 1 of Foo and the latest version of Baz with tag prod (no such version exists)"},
				check: func(t *testing.T, res MatrixResult) {
					if len(res.Integrations) != 2 || len(res.Selectors) != 3 {
						t.Errorf("integrations %d, selectors %d; want 2 and 3", len(res.Integrations), len(res.Selectors))
					}
				}},
		},
		{
			name: "pact_broker-client issue #33: one prod provider did not verify this consumer version",
			given: func(fx *fixture) {
				fx.pact("Foo", "3.0.0", "Bar", "a").verify("Foo", "Bar", "a", "10.0.0", true).tag("Bar", "10.0.0", "prod").
					pact("Foo", "3.0.0", "Baz", "b").verify("Foo", "Baz", "b", "20", true).tag("Baz", "20", "prod").
					pact("Foo", "2.0.0", "Bar", "c").verify("Foo", "Bar", "c", "11.0.0", true).tag("Bar", "11.0.0", "prod")
			},
			when: prodOpts(ver("Foo", "3.0.0")),
			then: expect{deployable: "null", counts: "1/0/1", rows: []string{"Foo3.0.0 Bar? ?", "Foo3.0.0 Baz20 ok"}, reasons: []string{
				"There is no verified pact between version 3.0.0 of Foo and the latest version of Bar with tag prod (11.0.0)"}},
		},
		{
			name: "old consumer version does not require a provider added later",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true).tag("Bar", "2", "prod").
					pact("Foo", "2", "Bar", "b").verify("Foo", "Bar", "b", "3", true).
					pact("Foo", "2", "Wiffle", "c").verify("Foo", "Wiffle", "c", "10", true)
			},
			when: prodOpts(ver("Foo", "1")),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo1 Bar2 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name:  "unknown version is not deployable",
			given: func(fx *fixture) { fx.pact("Foo", "1", "Bar", "a") },
			when:  matrix(MatrixQuery{Selectors: sels(ver("Bar", "5"))}),
			then: expect{deployable: "false", counts: "0/0/0", noRows: true, reasons: []string{textNoEnvironment,
				"No pacts or verifications have been published for version 5 of Bar"}},
		},
		{
			name:  "provider first deploy: consumer not yet in prod",
			given: func(fx *fixture) { fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true) },
			when:  prodOpts(ver("Bar", "2")),
			then:  expect{deployable: "true", counts: "0/0/0", noRows: true, reasons: []string{textNoDependency}},
		},
		{
			name:  "consumer first deploy: provider not yet in prod",
			given: func(fx *fixture) { fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true) },
			when:  prodOpts(ver("Foo", "1")),
			then: expect{deployable: "null", counts: "0/0/1", rows: []string{"Foo1 Bar? ?"}, reasons: []string{
				"There is no verified pact between version 1 of Foo and the latest version of Bar with tag prod (no such version exists)"}},
		},
		{
			name: "consumer-and-provider first deploy: downstream provider absent",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true).pact("Bar", "2", "Baz", "b")
			},
			when: prodOpts(ver("Bar", "2")),
			then: expect{deployable: "null", counts: "0/0/1", rows: []string{"Bar2 Baz? ?"}, reasons: []string{
				"There is no verified pact between version 2 of Bar and the latest version of Baz with tag prod (no such version exists)"}},
		},
		{
			name: "consumer-and-provider first deploy: downstream provider in prod",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true).pact("Bar", "2", "Baz", "b").
					verify("Bar", "Baz", "b", "4", true).tag("Baz", "4", "prod")
			},
			when: prodOpts(ver("Bar", "2")),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Bar2 Baz4 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name:  "provider whose pact was never verified may be deployed",
			given: func(fx *fixture) { fx.pact("Foo", "1", "Bar", "a").version("Bar", "2") },
			when:  prodOpts(ver("Bar", "2")),
			then:  expect{deployable: "true", noRows: true, reasons: []string{textNoDependency}},
		},
		{
			name: "nureva: both versions specified, one direction unverified",
			given: func(fx *fixture) {
				fx.pact("ServiceB", "100", "ServiceA", "x").verify("ServiceB", "ServiceA", "x", "99", true).
					pact("ServiceA", "1", "ServiceB", "y").verify("ServiceA", "ServiceB", "y", "100", true)
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("ServiceA", "1"), ver("ServiceB", "100")), LatestBy: "cvpv"}),
			then: expect{deployable: "null", counts: "1/0/1", rows: []string{"ServiceA1 ServiceB100 ok", "ServiceB100 ServiceA? ?"},
				reasons: []string{"There is no verified pact between version 100 of ServiceB and version 1 of ServiceA"}},
		},
		{
			name: "nureva: one version specified, latest of the other inferred",
			given: func(fx *fixture) {
				fx.pact("ServiceB", "100", "ServiceA", "x").verify("ServiceB", "ServiceA", "x", "99", true).
					pact("ServiceA", "1", "ServiceB", "y").verify("ServiceA", "ServiceB", "y", "100", true)
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("ServiceB", "100")), LatestBy: "cvp", Latest: true}),
			then: expect{deployable: "null", counts: "1/0/1", reasons: []string{textNoEnvironment,
				"There is no verified pact between version 100 of ServiceB and the latest version of ServiceA (1)"}},
		},
		{
			name:  "several prod versions of one consumer (explicit) and one of another (inferred)",
			given: severalProdConsumers,
			when: matrix(MatrixQuery{Selectors: sels(ver("Bar", "2"), Selector{Pacticipant: "Foo", Tag: "prod"}),
				Latest: true, Tag: "prod"}),
			then: expect{deployable: "null", counts: "2/0/1", rows: []string{"Cat20 Bar? ?", "Foo2 Bar2 ok", "Foo1 Bar2 ok"},
				reasons: []string{"There is no verified pact between the latest version of Cat with tag prod (20) and version 2 of Bar"},
				check: func(t *testing.T, res MatrixResult) {
					if len(res.Integrations) != 3 {
						t.Errorf("integrations = %d, want 3", len(res.Integrations))
					}
				}},
		},
		{
			name:  "several prod versions of one consumer, without inference only the specified integration counts",
			given: severalProdConsumers,
			when:  matrix(MatrixQuery{Selectors: sels(ver("Bar", "2"), Selector{Pacticipant: "Foo", Tag: "prod"})}),
			then:  expect{deployable: "true", rows: []string{"Foo2 Bar2 ok", "Foo1 Bar2 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "consumer with two providers, the verified one specified explicitly",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true).tag("Bar", "2", "prod").pact("Foo", "1", "Wiffle", "b")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1"), Selector{Pacticipant: "Bar", Tag: "prod", Latest: true}), LatestBy: "cvpv"}),
			then: expect{deployable: "true", rows: []string{"Foo1 Bar2 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "issue #485: new provider version not verified against the consumer in test",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "1", true).
					pact("NotInTest", "1", "Bar", "b").verify("NotInTest", "Bar", "b", "1", true).tag("NotInTest", "1", "test").version("Bar", "2")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Bar", "2")), LatestBy: "cvp", Tag: "test", Latest: true}),
			then: expect{deployable: "null", rows: []string{"NotInTest1 Bar? ?"}, reasons: []string{
				"There is no verified pact between the latest version of NotInTest with tag test (1) and version 2 of Bar"}},
		},
		{
			name:  "adding a new provider: the consumer needs it in test",
			given: newProviderAdded,
			when:  matrix(MatrixQuery{Selectors: sels(ver("c1", "2")), LatestBy: "cvp", Latest: true, Tag: "test"}),
			then: expect{deployable: "null", reasons: []string{
				"There is no verified pact between version 2 of c1 and the latest version of p2 with tag test (no such version exists)"}},
		},
		{
			name:  "adding a new provider: the provider may go first, the consumer in test does not use it",
			given: newProviderAdded,
			when:  matrix(MatrixQuery{Selectors: sels(ver("p2", "1")), LatestBy: "cvp", Latest: true, Tag: "test"}),
			then:  expect{deployable: "true", noRows: true, reasons: []string{textNoDependency}},
		},
		{
			name: "the consumer version in prod has no pact with the provider",
			given: func(fx *fixture) {
				fx.pact("c1", "1", "p1", "a").verify("c1", "p1", "a", "1", true).tag("c1", "2", "prod")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("p1", "1")), LatestBy: "cvp", Latest: true, Tag: "prod"}),
			then: expect{deployable: "true", noRows: true, reasons: []string{textNoDependency}},
		},
		{
			name: "a selector resolving to several versions names the failing one",
			given: func(fx *fixture) {
				fx.pact("foo", "1", "bar", "a").verify("foo", "bar", "a", "1", true).tag("bar", "1", "prod").
					verify("foo", "bar", "a", "2", false).tag("bar", "2", "prod")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("foo", "1")), LatestBy: "cvp", Tag: "prod"}),
			then: expect{deployable: "false", counts: "0/1/0", rows: []string{"foo1 bar2 fail"}, reasons: []string{
				"The verification for the pact between version 1 of foo and a version of bar with tag prod (2) failed"}},
		},
	})
}

// severalProdConsumers: Foo 1 and 2 (prod) verified by Bar 2, Foo 3 failed
// (not prod), Cat 20 (prod) unverified, Dog 40 verified but not in prod.
func severalProdConsumers(fx *fixture) {
	fx.pact("Foo", "1", "Bar", "f1").verify("Foo", "Bar", "f1", "2", true).tag("Foo", "1", "prod").
		pact("Foo", "2", "Bar", "f2").tag("Foo", "2", "prod").verify("Foo", "Bar", "f2", "2", true).
		pact("Foo", "3", "Bar", "f3").verify("Foo", "Bar", "f3", "2", false).
		pact("Cat", "20", "Bar", "c20").tag("Cat", "20", "prod").
		pact("Dog", "40", "Bar", "d40").verify("Dog", "Bar", "d40", "2", true)
}

// newProviderAdded: c1 1 (test) → p1 1 (test); c1 2 → p2, verified by p2 1.
func newProviderAdded(fx *fixture) {
	fx.pact("c1", "1", "p1", "a").tag("c1", "1", "test").verify("c1", "p1", "a", "1", true).tag("p1", "1", "test").
		pact("c1", "2", "p2", "b").verify("c1", "p2", "b", "1", true)
}
