package queries

import "testing"

// Validation scenarios: Matrix::Service.validate_selectors/validate_options
// (spec/lib/pact_broker/matrix/service_spec.rb) and CanIDeployQuerySchema
// (spec/lib/pact_broker/api/contracts/can_i_deploy_query_schema_spec.rb).
func TestMatrixValidation(t *testing.T) {
	given := func(fx *fixture) { fx.version("Foo", "1").version("Bar", "2").env("prod") }
	q := func(m MatrixQuery) func(MatrixReader) (MatrixResult, error) {
		if m.Selectors == nil {
			m.Selectors = sels(ver("Foo", "1"))
		}
		return matrix(m)
	}
	cid := func(c CanIDeployQuery) func(MatrixReader) (MatrixResult, error) { return canIDeploy(c) }
	runScenarios(t, []scenario{
		{name: "no selectors", given: given, when: matrix(MatrixQuery{}),
			then: expect{errs: []string{"Please provide 1 or more version selectors."}}},
		{name: "unknown pacticipant, once per selector", given: given, when: q(MatrixQuery{Selectors: sels(ver("Nope", "1"), name("Nope"))}),
			then: expect{errs: []string{"Pacticipant Nope not found", "Pacticipant Nope not found"}}},
		{name: "missing pacticipant name", given: given, when: q(MatrixQuery{Selectors: sels(Selector{Version: "1"})}),
			then: expect{errs: []string{"Please specify the pacticipant name"}}},
		{name: "version and latest", given: given, when: q(MatrixQuery{Selectors: sels(Selector{Pacticipant: "Foo", Version: "1", Latest: true}, ver("Bar", "2"))}),
			then: expect{errs: []string{"A version number and latest flag cannot both be specified for Foo"}}},
		{name: "ignore without a name, and with version and latest", given: given,
			when: q(MatrixQuery{Ignore: sels(Selector{Version: "1"}, Selector{Pacticipant: "Bar", Version: "2", Latest: true})}),
			then: expect{errs: []string{"Please specify the pacticipant name to ignore", "A version number and latest flag cannot both be specified for Bar to ignore"}}},
		{name: "tag and environment", given: given, when: q(MatrixQuery{Tag: "prod", Environment: "prod"}),
			then: expect{errs: []string{"Cannot specify more than one of tag, environment and mainBranch."}}},
		{name: "mainBranch=false still counts as a destination", given: given, when: q(MatrixQuery{Tag: "prod", MainBranch: ptr(false)}),
			then: expect{errs: []string{"Cannot specify more than one of tag, environment and mainBranch."}}},
		{name: "latest and environment", given: given, when: q(MatrixQuery{Latest: true, Environment: "prod"}),
			then: expect{errs: []string{"Cannot specify both latest=true and an environment."}}},
		{name: "unknown environment", given: given, when: q(MatrixQuery{Environment: "nope", LatestBy: "cvpv"}),
			then: expect{errs: []string{"Environment with name 'nope' does not exist"}}},
		{name: "limit below 1", given: given, when: q(MatrixQuery{Limit: ptr(0)}),
			then: expect{errs: []string{"The limit must be 1 or greater."}}},
		{name: "every message, in the broker's order", given: given,
			when: matrix(MatrixQuery{Selectors: sels(Selector{Version: "1"}, ver("Nope", "1")), Ignore: sels(Selector{}),
				Tag: "t", MainBranch: ptr(true), Environment: "nope", Latest: true, Limit: ptr(-1)}),
			then: expect{errs: []string{"Please specify the pacticipant name", "Pacticipant Nope not found",
				"Please specify the pacticipant name to ignore", "Cannot specify more than one of tag, environment and mainBranch.",
				"Cannot specify both latest=true and an environment.", "Environment with name 'nope' does not exist",
				"The limit must be 1 or greater."}}},
		{name: "can-i-deploy without parameters", given: given, when: cid(CanIDeployQuery{}),
			then: expect{errs: []string{": Must specify either an environment or a 'to' tag.", "pacticipant: is missing", "version: is missing"}}},
		{name: "can-i-deploy with a tag and an environment", given: given,
			when: cid(CanIDeployQuery{Pacticipant: Str("Foo"), Version: Str("1"), To: Str("prod"), Environment: Str("prod")}),
			then: expect{errs: []string{": Cannot specify both a 'to' tag and an environment."}}},
		{name: "can-i-deploy with unknown names", given: given,
			when: cid(CanIDeployQuery{Pacticipant: Str("Nope"), Version: Str("1"), Environment: Str("nope")}),
			then: expect{errs: []string{"environment: with name 'nope' does not exist", "pacticipant: does not match an existing pacticipant"}}},
		{name: "can-i-deploy with empty and non-string values", given: given,
			when: cid(CanIDeployQuery{Pacticipant: Param{Present: true}, Version: Param{Present: true, NotString: true}, To: Str("")}),
			then: expect{errs: []string{"pacticipant: must be filled", "to: must be filled", "version: must be a string"}}},
		{name: "can-i-deploy with an unknown version is an answer, not an error", given: given,
			when: cid(CanIDeployQuery{Pacticipant: Str("Foo"), Version: Str("9"), To: Str("prod")}),
			then: expect{deployable: "false", reasons: []string{"No pacts or verifications have been published for version 9 of Foo"}}},
	})
}
