package queries

import "testing"

// Scenarios derived from pact_broker spec/lib/pact_broker/matrix/integration_ignore_spec.rb
// (approved in matrix_integration_ignore_spec.approved.json).
func TestMatrixIgnoreScenarios(t *testing.T) {
	deployFoo := func(ignore ...Selector) func(MatrixReader) (MatrixResult, error) {
		return toTag("Foo", "1", "prod", ignore...)
	}
	deployBar := func(ignore ...Selector) func(MatrixReader) (MatrixResult, error) {
		return toTag("Bar", "2", "prod", ignore...)
	}
	missingVerification := func(fx *fixture) { fx.pact("Foo", "1", "Bar", "a").tag("Bar", "2", "prod") }
	failedVerification := func(fx *fixture) {
		fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", false).tag("Bar", "2", "prod")
	}
	notDeployed := func(fx *fixture) { fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", true) }
	bothSpecified := func(ignore ...Selector) func(MatrixReader) (MatrixResult, error) {
		return matrix(MatrixQuery{Selectors: sels(ver("Foo", "1"), Selector{Pacticipant: "Bar", Tag: "prod", Latest: true}),
			Ignore: ignore, Latest: true, Tag: "prod", LatestBy: "cvp"})
	}
	consumerFailed := func(fx *fixture) {
		fx.pact("Foo", "1", "Bar", "a").tag("Foo", "1", "prod").verify("Foo", "Bar", "a", "2", false)
	}
	failedText := "The verification for the pact between version 1 of Foo and the latest version of Bar with tag prod (2) failed"
	runScenarios(t, []scenario{
		{
			name: "ignoring a provider with a missing verification", given: missingVerification, when: deployFoo(name("Bar")),
			then: expect{deployable: "true", counts: "0/0/0/1", rows: []string{"Foo1 Bar? ? ignored"}, reasons: []string{textNoDependency}},
		},
		{
			name: "the same without the ignore selector", given: missingVerification, when: deployFoo(),
			then: expect{deployable: "null", counts: "0/0/1", reasons: []string{
				"There is no verified pact between version 1 of Foo and the latest version of Bar with tag prod (2)"}},
		},
		{
			name: "ignoring a provider with a failed verification", given: failedVerification, when: deployFoo(name("Bar")),
			then: expect{deployable: "true", counts: "0/0/0/1", rows: []string{"Foo1 Bar2 fail ignored"}, reasons: []string{textNoDependency}},
		},
		{
			name: "the failed verification without the ignore selector", given: failedVerification, when: deployFoo(),
			then: expect{deployable: "false", counts: "0/1/0", reasons: []string{failedText}},
		},
		{
			name: "ignoring the specific provider version", given: failedVerification, when: deployFoo(ver("Bar", "2")),
			then: expect{deployable: "true", counts: "0/0/0/1", reasons: []string{textNoDependency}},
		},
		{
			name: "ignoring a provider version that does not exist warns", given: failedVerification, when: deployFoo(ver("Bar", "999")),
			then: expect{deployable: "false", counts: "0/1/0/0", rows: []string{"Foo1 Bar2 fail"},
				reasons: []string{"WARN: Cannot ignore version 999 of Bar (no such version exists)", failedText}},
		},
		{
			name: "ignoring a provider that has not been deployed", given: notDeployed, when: deployFoo(name("Bar")),
			// The ignored row still satisfies the required integration.
			then: expect{deployable: "true", rows: []string{"Foo1 Bar? ? ignored"}, reasons: []string{textNoDependency}},
		},
		{
			name: "ignoring a specified provider", when: bothSpecified(name("Bar")),
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "2", false).tag("Bar", "2", "prod")
			},
			then: expect{deployable: "true", counts: "0/0/0/1", reasons: []string{textNoDependency}},
		},
		{
			name: "ignoring a specified provider whose version does not exist", when: bothSpecified(name("Bar")),
			given: notDeployed,
			then:  expect{deployable: "true", rows: []string{"Foo1 Bar? ? ignored"}, reasons: []string{textNoDependency}},
		},
		{
			name: "a specified provider version that does not exist, not ignored", when: bothSpecified(),
			given: notDeployed,
			then:  expect{deployable: "false", reasons: []string{"No version with tag prod exists for Bar"}},
		},
		{
			name: "ignoring a pacticipant that does not exist warns",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "NotBar", "a").verify("Foo", "NotBar", "a", "2", true)
			},
			when: deployFoo(name("Bar")),
			then: expect{deployable: "null", counts: "0/0/1/0", reasons: []string{
				"WARN: Cannot ignore any version of Bar (no such pacticipant exists)",
				"There is no verified pact between version 1 of Foo and the latest version of NotBar with tag prod (no such version exists)"}},
		},
		{
			name: "deploying a provider: an unverified consumer in prod blocks it",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").tag("Foo", "1", "prod").version("Bar", "2")
			},
			when: deployBar(),
			then: expect{deployable: "null", reasons: []string{
				"There is no verified pact between the latest version of Foo with tag prod (1) and version 2 of Bar"}},
		},
		{
			name: "deploying a provider and ignoring the failed consumer", given: consumerFailed, when: deployBar(name("Foo")),
			then: expect{deployable: "true", counts: "0/0/0/1", reasons: []string{textNoDependency}},
		},
		{
			name: "deploying a provider and ignoring the failed consumer version", given: consumerFailed, when: deployBar(ver("Foo", "1")),
			then: expect{deployable: "true", counts: "0/0/0/1", reasons: []string{textNoDependency}},
		},
		{
			name: "deploying a provider and ignoring the wrong consumer version", given: consumerFailed, when: deployBar(ver("Foo", "wrong")),
			then: expect{deployable: "false", counts: "0/1/0/0", reasons: []string{
				"WARN: Cannot ignore version wrong of Foo (no such version exists)",
				"The verification for the pact between the latest version of Foo with tag prod (1) and version 2 of Bar failed"}},
		},
		{
			name:  "ignoring the specified version itself: its absence no longer matters",
			given: func(fx *fixture) { fx.env("prod").version("Foo", "1") },
			when:  toEnv("Foo", "9", "prod", name("Foo")),
			then:  expect{deployable: "true", counts: "0/0/0/0", noRows: true, reasons: []string{textNoDependency}},
		},
	})
}
