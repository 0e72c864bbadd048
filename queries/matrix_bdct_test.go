package queries

import "testing"

// compare records what the reader answers for a provider version with an
// OpenAPI contract: a completed comparison of the pact content with it,
// combined with the contract's self-verification.
func (fx *fixture) compare(c, p, sha, pv string, comparisonOK, selfVerified bool) *fixture {
	fx.version(p, pv)
	order, at := fx.tick()
	fx.addVerification(c, p, sha, Verification{Kind: ResultComparison, ProviderVersion: pv, Number: 1,
		Success: comparisonOK && selfVerified, ComparisonSuccess: comparisonOK, SelfVerified: selfVerified,
		CreatedAt: at, ExecutedAt: at, Order: order})
	return fx
}

// comparing records a provider version with a contract whose comparison
// with the pact content has not completed: the reader answers it (and only
// it) for that provider version, as pending.
func (fx *fixture) comparing(c, p, sha, pv string) *fixture {
	fx.version(p, pv)
	order, at := fx.tick()
	k := [4]string{c, p, sha, pv}
	fx.byPV[k] = append(fx.byPV[k], Verification{Kind: ResultComparison, ProviderVersion: pv, Pending: true,
		CreatedAt: at, ExecutedAt: at, Order: order})
	return fx
}

func TestMatrixBidirectionalScenarios(t *testing.T) {
	inProgress := "The comparison between the pact of version 1 of Foo and the OpenAPI contract of the version of Bar " +
		"currently in production (2) is in progress; the result is unknown until it completes (retry with --retry-while-unknown)"
	incompatible := "The pact of version 1 of Foo is not compatible with the OpenAPI contract of the version of Bar " +
		"currently in production (2) (the comparison found errors)"
	notSelfVerified := "The provider contract of the version of Bar currently in production (2) has no successful self-verification results"
	runScenarios(t, []scenario{
		{
			name: "a compatible contract with passing self-verification is deployable",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").compare("Foo", "Bar", "a", "2", true, true).deploy("Bar", "2", "production")
			},
			when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo1 Bar2 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "an incompatible contract fails and the reason names the comparison",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").compare("Foo", "Bar", "a", "2", false, true).deploy("Bar", "2", "production")
			},
			when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "false", counts: "0/1/0", rows: []string{"Foo1 Bar2 fail"}, reasons: []string{incompatible}},
		},
		{
			name: "a compatible contract whose self-verification failed fails and the reason names the self-verification",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").compare("Foo", "Bar", "a", "2", true, false).deploy("Bar", "2", "production")
			},
			when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "false", counts: "0/1/0", rows: []string{"Foo1 Bar2 fail"}, reasons: []string{notSelfVerified}},
		},
		{
			name: "both sides failing give both reasons",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").compare("Foo", "Bar", "a", "2", false, false).deploy("Bar", "2", "production")
			},
			when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "false", counts: "0/1/0", rows: []string{"Foo1 Bar2 fail"}, reasons: []string{incompatible, notSelfVerified}},
		},
		{
			name: "a comparison in progress is unknown, with the provider version on the row",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").comparing("Foo", "Bar", "a", "2").deploy("Bar", "2", "production")
			},
			when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "null", counts: "0/0/1", rows: []string{"Foo1 Bar2 pending"}, reasons: []string{inProgress}},
		},
		{
			name: "unknown outranks failed: a pending comparison and a failed verification together are unknown",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").comparing("Foo", "Bar", "a", "2").deploy("Bar", "2", "production").
					pact("Foo", "1", "Baz", "z").verify("Foo", "Baz", "z", "7", false).deploy("Baz", "7", "production")
			},
			when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "null", counts: "0/1/1", reasons: []string{
				"The verification for the pact between version 1 of Foo and the version of Baz currently in production (7) failed", inProgress}},
		},
		{
			name: "verified-pact rows and bi-directional rows coexist",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").compare("Foo", "Bar", "a", "2", true, true).deploy("Bar", "2", "production").
					pact("Foo", "1", "Baz", "z").verify("Foo", "Baz", "z", "7", true).deploy("Baz", "7", "production")
			},
			when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "true", counts: "2/0/0", rows: []string{"Foo1 Bar2 ok", "Foo1 Baz7 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "the provider's can-i-deploy sees its contract compared with the consumer in the environment",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").deploy("Foo", "1", "production").compare("Foo", "Bar", "a", "2", false, true)
			},
			when: toEnv("Bar", "2", "production"),
			then: expect{deployable: "false", counts: "0/1/0", rows: []string{"Foo1 Bar2 fail"}, reasons: []string{
				"The pact of the version of Foo currently in production (1) is not compatible with the OpenAPI contract of version 2 of Bar (the comparison found errors)"}},
		},
		{
			name: "success[]= filters a pending comparison as unverified",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").comparing("Foo", "Bar", "a", "2").deploy("Bar", "2", "production")
			},
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), LatestBy: "cvpv", Environment: "production",
				Success: []Outcome{Unverified}}),
			then: expect{rows: []string{"Foo1 Bar2 pending"}},
		},
		{
			name: "ignoring the provider ignores its pending comparison",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").comparing("Foo", "Bar", "a", "2").deploy("Bar", "2", "production")
			},
			when: toEnv("Foo", "1", "production", name("Bar")),
			then: expect{deployable: "true", rows: []string{"Foo1 Bar2 pending ignored"}, reasons: []string{textNoDependency}},
		},
	})
}
