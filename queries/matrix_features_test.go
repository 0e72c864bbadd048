package queries

import "testing"

// matrixApprovalGraph is the fixture of pact_broker spec/features/get_matrix_approval_spec.rb:
// Foo 1 verified by Bar 10; Foo 2 (main) failed by Bar 20; Foo 3 (main)
// unverified; Foo 3 → Baz verified by Baz 30, which is in production.
func matrixApprovalGraph(fx *fixture) {
	fx.pact("Foo", "1", "Bar", "fb1").verify("Foo", "Bar", "fb1", "10", true).
		branch("Foo", "2", "main").pact("Foo", "2", "Bar", "fb2").verify("Foo", "Bar", "fb2", "20", false).
		branch("Foo", "3", "main").pact("Foo", "3", "Bar", "fb3").
		pact("Foo", "3", "Baz", "fz1").verify("Foo", "Baz", "fz1", "30", true).
		env("production").deploy("Baz", "30", "production")
}

// Scenarios from spec/features/get_matrix_approval_spec.rb (approved in
// features_get_matrix_approval_spec.approved.json), can_i_deploy_spec.rb
// and can_i_deploy_approval_spec.rb (features_can_i_deploy_approval_spec.approved.json).
func TestMatrixFeatureScenarios(t *testing.T) {
	uiBrowse := expect{deployable: "null", counts: "1/1/1", rows: []string{"Foo3 Bar? ?", "Foo2 Bar20 fail", "Foo1 Bar10 ok"},
		reasons: []string{"The verification for the pact between any version of Foo and any version of Bar failed",
			"There is no verified pact between any version of Foo and any version of Bar"}}
	cidApproval := func(fx *fixture) {
		fx.pact("Foo", "1", "Bar", "a").tag("Foo", "1", "dev").verify("Foo", "Bar", "a", "10", true).tag("Bar", "10", "prod").
			env("production").deploy("Bar", "10", "production")
	}
	withFailingBaz := func(fx *fixture) {
		cidApproval(fx)
		fx.pact("Foo", "1", "Baz", "z").verify("Foo", "Baz", "z", "99", false)
	}
	waffle := func(firstOK, secondOK bool, record func(fx *fixture, v, instance string)) func(fx *fixture) {
		return func(fx *fixture) {
			fx.env("production").pact("Waffle", "1", "Pancake", "w").verify("Waffle", "Pancake", "w", "10", firstOK)
			record(fx, "10", "instance-1")
			fx.verify("Waffle", "Pancake", "w", "11", secondOK)
			record(fx, "11", "instance-2")
		}
	}
	released := func(fx *fixture, v, _ string) { fx.release("Pancake", v, "production") }
	instances := func(fx *fixture, v, inst string) { fx.deploy("Pancake", v, "production", inst) }
	redeployed := func(fx *fixture, v, _ string) { fx.deploy("Pancake", v, "production") }
	pancake10 := "The verification for the pact between version 1 of Waffle and one of the versions of Pancake currently in production (10) failed"
	waffleQuery := canIDeploy(CanIDeployQuery{Pacticipant: Str("Waffle"), Version: Str("1"), Environment: Str("production")})
	runScenarios(t, []scenario{
		{
			name: "matrix: single selector to latest", given: matrixApprovalGraph,
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1")), LatestBy: "cvpv", Latest: true}),
			then: expect{deployable: "null", counts: "0/0/1", reasons: []string{textNoEnvironment,
				"There is no verified pact between version 1 of Foo and the latest version of Bar (20)"}},
		},
		{
			name: "matrix: can-i-deploy to environment", given: matrixApprovalGraph, when: toEnv("Foo", "1", "production"),
			then: expect{deployable: "null", counts: "0/0/1", reasons: []string{"There is no verified pact between version 1 of Foo and " +
				"a version of Bar currently in production (no version is currently recorded as deployed/released in this environment)"}},
		},
		{
			name: "matrix: can-i-deploy to mainBranch", given: matrixApprovalGraph,
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "2")), LatestBy: "cvpv", MainBranch: ptr(true)}),
			then: expect{deployable: "null", counts: "0/0/1", reasons: []string{
				"There is no verified pact between version 2 of Foo and any version of Bar from the main branch (no versions exist for this branch)"}},
		},
		{
			name: "matrix: UI browse, two selectors by name", given: matrixApprovalGraph,
			when: matrix(MatrixQuery{Selectors: sels(name("Foo"), name("Bar")), LatestBy: "cvpv", Limit: ptr(100)}),
			then: uiBrowse,
		},
		{
			name: "matrix: two versions", given: matrixApprovalGraph,
			when: matrix(MatrixQuery{Selectors: sels(ver("Foo", "1"), ver("Bar", "10")), LatestBy: "cvpv", Limit: ptr(100)}),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo1 Bar10 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "matrix: success filter true", given: matrixApprovalGraph,
			when: matrix(MatrixQuery{Selectors: sels(name("Foo"), name("Bar")), LatestBy: "cvpv", Success: []Outcome{Succeeded}}),
			then: expect{deployable: "true", counts: "1/0/0", rows: []string{"Foo1 Bar10 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "matrix: success filter unverified and failed", given: matrixApprovalGraph,
			when: matrix(MatrixQuery{Selectors: sels(name("Foo"), name("Bar")), LatestBy: "cvpv", Success: []Outcome{Unverified, Failed}}),
			then: expect{deployable: "null", counts: "0/1/1", rows: []string{"Foo3 Bar? ?", "Foo2 Bar20 fail"}, reasons: uiBrowse.reasons},
		},
		{
			// The broker's approved answer (deployable true) comes from equal
			// timestamps in its test database; with distinct times the most
			// recent pact, Foo 3's, is the one kept by the limit.
			name: "matrix: limit smaller than the result set", given: matrixApprovalGraph,
			when: matrix(MatrixQuery{Selectors: sels(name("Foo"), name("Bar")), LatestBy: "cvpv", Limit: ptr(1)}),
			then: expect{deployable: "null", counts: "0/0/1", rows: []string{"Foo3 Bar? ?"}, reasons: []string{
				"There is no verified pact between any version of Foo and any version of Bar"}},
		},
		{
			name: "matrix: consumer and provider path endpoint", given: matrixApprovalGraph,
			when: func(r MatrixReader) (MatrixResult, error) {
				return MatrixForIntegration(r, "Foo", "Bar", MatrixQuery{Limit: ptr(100)})
			},
			then: uiBrowse,
		},
		{
			name: "matrix: consumer and provider path endpoint, unknown provider", given: matrixApprovalGraph,
			when: func(r MatrixReader) (MatrixResult, error) {
				return MatrixForIntegration(r, "Foo", "Nope", MatrixQuery{})
			},
			then: expect{notFound: true},
		},
		{
			name: "can-i-deploy to the production environment", given: cidApproval,
			when: canIDeploy(CanIDeployQuery{Pacticipant: Str("Foo"), Version: Str("1"), Environment: Str("production")}),
			then: expect{deployable: "true", counts: "1/0/0", reasons: []string{textSuccessful}},
		},
		{
			name: "can-i-deploy tag to tag", given: cidApproval,
			when: func(r MatrixReader) (MatrixResult, error) { return CanIDeployTagToTag(r, "Foo", "dev", "prod") },
			then: expect{deployable: "true", counts: "1/0/0", reasons: []string{textNoVersionNumber, textSuccessful}},
		},
		{
			name: "can-i-deploy tag to tag without such a version", given: cidApproval,
			when: func(r MatrixReader) (MatrixResult, error) { return CanIDeployTagToTag(r, "Foo", "nope", "prod") },
			then: expect{notFound: true},
		},
		{
			name: "can-i-deploy to production with a failing, undeployed integration", given: withFailingBaz,
			when: canIDeploy(CanIDeployQuery{Pacticipant: Str("Foo"), Version: Str("1"), Environment: Str("production")}),
			then: expect{deployable: "null", counts: "1/0/1", reasons: []string{"There is no verified pact between version 1 of Foo and " +
				"a version of Baz currently in production (no version is currently recorded as deployed/released in this environment)"}},
		},
		{
			name: "can-i-deploy ignoring the failing integration", given: withFailingBaz,
			when: canIDeploy(CanIDeployQuery{Pacticipant: Str("Foo"), Version: Str("1"), Environment: Str("production"),
				Ignore: sels(name("Baz"))}),
			then: expect{deployable: "true", counts: "1/0/0/1", rows: []string{"Foo1 Bar10 ok", "Foo1 Baz? ? ignored"},
				reasons: []string{textSuccessful}},
		},
		{
			name: "can-i-deploy: released versions, an older one incompatible", given: waffle(false, true, released), when: waffleQuery,
			then: expect{deployable: "false", rows: []string{"Waffle1 Pancake11 ok", "Waffle1 Pancake10 fail"}, reasons: []string{pancake10}},
		},
		{
			name: "can-i-deploy: released versions, all compatible", given: waffle(true, true, released), when: waffleQuery,
			then: expect{deployable: "true", rows: []string{"Waffle1 Pancake11 ok", "Waffle1 Pancake10 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "can-i-deploy: instances, one incompatible", given: waffle(false, true, instances), when: waffleQuery,
			then: expect{deployable: "false", rows: []string{"Waffle1 Pancake11 ok", "Waffle1 Pancake10 fail"}, reasons: []string{pancake10}},
		},
		{
			name: "can-i-deploy: redeployment, last incompatible", given: waffle(true, false, redeployed), when: waffleQuery,
			then: expect{deployable: "false", rows: []string{"Waffle1 Pancake11 fail"}, reasons: []string{
				"The verification for the pact between version 1 of Waffle and the version of Pancake currently in production (11) failed"}},
		},
		{
			name: "can-i-deploy: to tag keeps only the latest tagged provider (cvp)",
			given: func(fx *fixture) {
				fx.pact("Foo", "1", "Bar", "a").verify("Foo", "Bar", "a", "1", false).tag("Bar", "1", "prod").
					verify("Foo", "Bar", "a", "2", true).tag("Bar", "2", "prod")
			},
			when: canIDeploy(CanIDeployQuery{Pacticipant: Str("Foo"), Version: Str("1"), To: Str("prod")}),
			then: expect{deployable: "true", rows: []string{"Foo1 Bar2 ok"}, reasons: []string{textSuccessful}},
		},
		{
			name: "can-i-deploy branch to environment",
			given: func(fx *fixture) {
				fx.branch("Foo", "1", "feat/x").pact("Foo", "1", "Bar", "a").branch("Foo", "2", "feat/x").pact("Foo", "2", "Bar", "b").
					verify("Foo", "Bar", "b", "5", true).deploy("Bar", "5", "production")
			},
			when: func(r MatrixReader) (MatrixResult, error) {
				return CanIDeployBranchToEnvironment(r, "Foo", "feat/x", "production")
			},
			then: expect{deployable: "true", rows: []string{"Foo2 Bar5 ok"}, reasons: []string{textNoVersionNumber, textSuccessful}},
		},
		{
			name:  "can-i-deploy branch to an unknown environment",
			given: func(fx *fixture) { fx.branch("Foo", "1", "main") },
			when: func(r MatrixReader) (MatrixResult, error) {
				return CanIDeployBranchToEnvironment(r, "Foo", "main", "nope")
			},
			then: expect{notFound: true},
		},
	})
}
