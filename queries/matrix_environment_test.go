package queries

import (
	"slices"
	"testing"
)

// Scenarios derived from pact_broker spec/lib/pact_broker/matrix/integration_environment_spec.rb
// (approved in matrix_integration_environment_spec.approved.json) and
// spec/features/can_i_deploy_spec.rb (issue #903: every co-resident version).
func TestMatrixEnvironmentScenarios(t *testing.T) {
	noneInTest := "There is no verified pact between version 1 of Foo and a version of Bar currently in test " +
		"(no version is currently recorded as deployed/released in this environment)"
	runScenarios(t, []scenario{
		{
			name: "the provider in test verified the consumer",
			given: func(fx *fixture) {
				fx.env("test").pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true).deploy("Bar", "2", "test").
					verify("Foo", "Bar", "a", "3", false)
			},
			when: toEnv("Foo", "1", "test"),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo1 Bar2 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "the provider in test failed the consumer",
			given: func(fx *fixture) {
				fx.env("test").pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", false).deploy("Bar", "2", "test").
					verify("Foo", "Bar", "a", "3", true)
			},
			when: toEnv("Foo", "1", "test"),
			then: expect{deployable: "false", counts: "0/1/0", rows: []string{"Foo1 Bar2 fail"}, reasons: []string{
				"The verification for the pact between version 1 of Foo and the version of Bar currently in test (2) failed"}},
		},
		{
			name:  "consumer first deploy: the provider is not in the environment",
			given: func(fx *fixture) { fx.env("test").pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true) },
			when:  toEnv("Foo", "1", "test"),
			then:  expect{deployable: "null", counts: "0/0/1", rows: []string{"Foo1 Bar? ?"}, reasons: []string{noneInTest}},
		},
		{
			name:  "provider first deploy: the consumer is not in the environment",
			given: func(fx *fixture) { fx.env("test").pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true) },
			when:  toEnv("Bar", "2", "test"),
			then:  expect{deployable: "true", counts: "0/0/0", noRows: true, reasons: []string{textNoDependency}},
		},
		{
			name:  "provider with two consumer versions in prod, the newest unverified",
			given: twoConsumerVersionsInProd,
			when:  matrix(MatrixQuery{Selectors: sels(ver("Bar", "10")), Environment: "prod"}),
			then: expect{deployable: "null", rows: []string{"Foo2 Bar? ?", "Foo1 Bar10 ok"}, reasons: []string{
				"There is no verified pact between one of the versions of Foo currently in prod (2) and version 10 of Bar"},
				check: func(t *testing.T, res MatrixResult) {
					if got := oneOfMany(res, "Foo"); !slices.Equal(got, []bool{true, true}) {
						t.Errorf("Foo one_of_many = %v", got)
					}
					if got := oneOfMany(res, "Bar"); !slices.Equal(got, []bool{false}) {
						t.Errorf("Bar one_of_many = %v", got)
					}
				}},
		},
		{
			name:  "provider with two consumer versions in prod, both verified",
			given: func(fx *fixture) { twoConsumerVersionsInProd(fx); fx.verify("Foo", "Bar", "b", "10", true) },
			when:  matrix(MatrixQuery{Selectors: sels(ver("Bar", "10")), Environment: "prod"}),
			then:  expect{deployable: "true", rows: []string{"Foo2 Bar10 ok", "Foo1 Bar10 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name:  "consumer with two provider versions in prod, neither verified it",
			given: twoProviderVersionsInProd,
			when:  matrix(MatrixQuery{Selectors: sels(ver("Foo", "2")), Environment: "prod"}),
			// Two Bar selectors and no provider version on the row: the broker falls
			// back to a stand-in selector, "any version of Bar".
			then: expect{deployable: "null", rows: []string{"Foo2 Bar? ?"}, reasons: []string{
				"There is no verified pact between version 2 of Foo and any version of Bar"},
				check: func(t *testing.T, res MatrixResult) {
					if got := oneOfMany(res, "Bar"); !slices.Equal(got, []bool{true, true}) {
						t.Errorf("Bar one_of_many = %v", got)
					}
				}},
		},
		{
			name:  "consumer with two provider versions in prod, verified by the newer",
			given: func(fx *fixture) { twoProviderVersionsInProd(fx); fx.verify("Foo", "Bar", "b", "11", true) },
			when:  matrix(MatrixQuery{Selectors: sels(ver("Foo", "2")), Environment: "prod"}),
			then:  expect{deployable: "true", rows: []string{"Foo2 Bar11 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "cvpv: an older released provider version fails",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", false).release("Bar", "10", "prod").
					verify("Foo", "Bar", "a", "11", true).release("Bar", "11", "prod")
			},
			when: toEnv("Foo", "1", "prod"),
			then: expect{deployable: "false", counts: "1/1/0", rows: []string{"Foo1 Bar11 ok", "Foo1 Bar10 fail"}, reasons: []string{
				"The verification for the pact between version 1 of Foo and one of the versions of Bar currently in prod (10) failed"}},
		},
		{
			name: "cvp instead of cvpv hides the failing older release (why the broker switched, issue #903)",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", false).release("Bar", "10", "prod").
					verify("Foo", "Bar", "a", "11", true).release("Bar", "11", "prod")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), LatestBy: "cvp", Environment: "prod"}),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo1 Bar11 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "cvpv: every released provider version succeeds",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", true).release("Bar", "10", "prod").
					verify("Foo", "Bar", "a", "11", true).release("Bar", "11", "prod")
			},
			when: toEnv("Foo", "1", "prod"),
			then: expect{deployable: "true", counts: "2/0/0", rows: []string{"Foo1 Bar11 ok", "Foo1 Bar10 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "cvpv: one of several application instances fails",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", false).deploy("Bar", "10", "prod", "instance-1").
					verify("Foo", "Bar", "a", "11", true).deploy("Bar", "11", "prod", "instance-2")
			},
			when: toEnv("Foo", "1", "prod"),
			then: expect{deployable: "false", counts: "1/1/0", rows: []string{"Foo1 Bar11 ok", "Foo1 Bar10 fail"}, reasons: []string{
				"The verification for the pact between version 1 of Foo and one of the versions of Bar currently in prod (10) failed"}},
		},
		{
			name: "cvpv: a redeployment to the null instance replaces the failing version",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", false).deploy("Bar", "10", "prod").
					verify("Foo", "Bar", "a", "11", true).deploy("Bar", "11", "prod")
			},
			when: toEnv("Foo", "1", "prod"),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo1 Bar11 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "undeployed and unsupported versions are not in the environment",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", false).deploy("Bar", "10", "prod").undeploy("Bar", "10", "prod").
					verify("Foo", "Bar", "a", "11", false).release("Bar", "11", "prod").endSupport("Bar", "11", "prod")
			},
			when: toEnv("Foo", "1", "prod"),
			then: expect{deployable: "null", rows: []string{"Foo1 Bar? ?"}, reasons: []string{"There is no verified pact between version 1 of Foo " +
				"and a version of Bar currently in prod (no version is currently recorded as deployed/released in this environment)"}},
		},
		{
			name: "a version both deployed and released counts once",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", true).deploy("Bar", "10", "prod").release("Bar", "10", "prod")
			},
			when: toEnv("Foo", "1", "prod"),
			then: expect{deployable: "true", rows: []string{"Foo1 Bar10 ok"}, reasons: []string{textSuccessful},
				check: func(t *testing.T, res MatrixResult) {
					if got := oneOfMany(res, "Bar"); !slices.Equal(got, []bool{false}) {
						t.Errorf("Bar selectors = %v", got)
					}
				}},
		},
		{
			name: "pre-verified: identical content verified for an earlier consumer version",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "same").verify("Foo", "Bar", "same", "2", true).deploy("Bar", "2", "prod").
					pact("Foo", "2", "Bar", "same")
			},
			when: toEnv("Foo", "2", "prod"),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo2 Bar2 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "unknown outranks failed",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", false).deploy("Bar", "2", "prod").
					pact("Foo", "1", "Baz", "b").deploy("Baz", "7", "prod")
			},
			when: toEnv("Foo", "1", "prod"),
			then: expect{deployable: "null", counts: "0/1/1", rows: []string{"Foo1 Bar2 fail", "Foo1 Baz? ?"}, reasons: []string{
				"The verification for the pact between version 1 of Foo and the version of Bar currently in prod (2) failed",
				"There is no verified pact between version 1 of Foo and the version of Baz currently in prod (7)"}},
		},
		{
			name:  "no integrations at all",
			given: func(fx *fixture) { fx.env("prod").version("Foo", "1") },
			when:  toEnv("Foo", "1", "prod"),
			then:  expect{deployable: "true", counts: "0/0/0", noRows: true, reasons: []string{textNoDependency}},
		},
		{
			name: "the environment selector without a version number",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true).deploy("Bar", "2", "prod")
			},
			when: matrix(MatrixQuery{Selectors: sels(Selector{Pacticipant: "Foo", Branch: "main", Latest: true}), LatestBy: "cvpv",
				Environment: "prod"}),
			then: expect{deployable: "false", noRows: true, reasons: []string{textNoVersionNumber, "No version of Foo from branch main exists"}},
		},
	})
}

func twoConsumerVersionsInProd(fx *fixture) {
	fx.pact("Foo", "1", "Bar", "a").deploy("Foo", "1", "prod", "1").verify("Foo", "Bar", "a", "10", true).
		pact("Foo", "2", "Bar", "b").deploy("Foo", "2", "prod", "2")
}

func twoProviderVersionsInProd(fx *fixture) {
	fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "10", true).deploy("Bar", "10", "prod", "1").
		pact("Foo", "2", "Bar", "b").version("Bar", "11").deploy("Bar", "11", "prod", "2")
}

func oneOfMany(res MatrixResult, pacticipant string) []bool {
	var out []bool
	for _, s := range res.Selectors {
		if s.Pacticipant == pacticipant {
			out = append(out, s.OneOfMany)
		}
	}
	return out
}
