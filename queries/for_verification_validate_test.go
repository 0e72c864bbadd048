package queries

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
)

func TestDecodePactsForVerificationMessages(t *testing.T) {
	const key = "consumerVersionSelectors"
	sel := func(s string) string { return `{"consumerVersionSelectors":[` + s + `]}` }
	cases := []struct {
		name, body string
		want       map[string][]string
	}{
		{"nothing is fine", `{}`, nil},
		{"an empty selector", sel(`{}`), map[string][]string{key: {fvMsgRequired + " (at index 0)"}}},
		{"latest false alone", sel(`{"latest":false}`), map[string][]string{key: {fvMsgRequired + " (at index 0)"}}},
		{"the index is the selector's", sel(`{"latest":true},{"tag":"x","branch":"y"}`),
			map[string][]string{key: {"cannot specify both a tag and a branch (at index 1)"}}},
		{"deployed false", sel(`{"environment":"test","deployed":false}`), map[string][]string{key: {"deployed must be one of: true (at index 0)"}}},
		{"deployed null", sel(`{"deployed":null}`), map[string][]string{key: {"deployed must be filled (at index 0)"}}},
		{"latest not a boolean", sel(`{"tag":"x","latest":"yes"}`), map[string][]string{key: {"latest must be one of: true, false (at index 0)"}}},
		{"tag not a string", sel(`{"tag":1}`), map[string][]string{key: {"tag must be a string (at index 0)"}}},
		{"tag empty", sel(`{"tag":""}`), map[string][]string{key: {"tag must be filled (at index 0)"}}},
		{"branch false", sel(`{"branch":false}`), map[string][]string{key: {"branch must be a string or branch must be equal to true (at index 0)"}}},
		{"latest with environment", sel(`{"environment":"test","latest":true}`),
			map[string][]string{key: {"cannot specify the field latest with the field environment (at index 0)"}}},
		{"several fields of each kind", sel(`{"environment":"test","latest":true,"tag":"foo","deployed":true}`),
			map[string][]string{key: {"cannot specify the fields latest/tag with the fields deployed/environment (at index 0)"}}},
		{"fallbackTag without tag", sel(`{"fallbackTag":"foo","latest":true,"branch":"foo"}`),
			map[string][]string{key: {"a tag must be specified when a fallbackTag is specified (at index 0)"}}},
		{"fallbackTag without latest", sel(`{"tag":"feat-x","fallbackTag":"master"}`),
			map[string][]string{key: {"fallbackTag can only be set if latest is true (at index 0)"}}},
		{"two messages, consumer first", sel(`{"consumer":" ","tag":"feat-x","fallbackTag":"master"}`),
			map[string][]string{key: {"consumer cannot be blank (at index 0)", "fallbackTag can only be set if latest is true (at index 0)"}}},
		{"fallbackBranch without branch", sel(`{"fallbackBranch":"foo","tag":"foo"}`),
			map[string][]string{key: {"a branch must be specified when a fallbackBranch is specified (at index 0)"}}},
		{"branch with latest false", sel(`{"branch":"foo","latest":false}`),
			map[string][]string{key: {"cannot specify a branch with latest=false (at index 0)"}}},
		{"branch true with latest false", sel(`{"branch":true,"latest":false}`),
			map[string][]string{key: {"cannot specify a branch with latest=false (at index 0)"}}},
		{"mainBranch with latest false", sel(`{"mainBranch":true,"latest":false}`),
			map[string][]string{key: {fvMsgMainBranchNotLatest + " (at index 0)"}}},
		{"mainBranch with a tag", sel(`{"mainBranch":true,"tag":"x"}`),
			map[string][]string{key: {fvMsgMainBranchOthers + " (at index 0)"}}},
		{"matchingBranch without providerVersionBranch", sel(`{"matchingBranch":true}`),
			map[string][]string{key: {fvMsgMatchingNeedsBranch + " (at index 0)"}}},
		{"matchingBranch with a tag", `{"providerVersionBranch":"main","consumerVersionSelectors":[{"matchingBranch":true,"tag":"x"}]}`,
			map[string][]string{key: {fvMsgMatchingOthers + " (at index 0)"}}},
		{"unknown environment", sel(`{"environment":"prod"}`),
			map[string][]string{key: {"environment with name 'prod' does not exist (at index 0)"}}},
		{"deployed and released", sel(`{"deployed":true,"released":true}`),
			map[string][]string{key: {"cannot specify both deployed=true and released=true (at index 0)"}}},
		{"deployed and deployedOrReleased", sel(`{"deployed":true,"deployedOrReleased":true}`),
			map[string][]string{key: {"cannot specify both deployed=true and deployedOrReleased=true (at index 0)"}}},
		{"released and deployedOrReleased", sel(`{"released":true,"deployedOrReleased":true}`),
			map[string][]string{key: {"cannot specify both released=true and deployedOrReleased=true (at index 0)"}}},
		{"selectors not an array", `{"consumerVersionSelectors":true}`, map[string][]string{key: {"must be an array"}}},
		{"a selector not an object", sel(`{"latest":true},"x"`), map[string][]string{key: {"must be a hash (at index 1)"}}},
		{"tags not an array", `{"providerVersionTags":true}`, map[string][]string{"providerVersionTags": {"must be an array"}}},
		{"branch not a string", `{"providerVersionBranch":1}`, map[string][]string{"providerVersionBranch": {"must be a string"}}},
		{"branch blank", `{"providerVersionBranch":" "}`, map[string][]string{"providerVersionBranch": {"cannot be blank"}}},
		{"branch empty with pending and no tags", `{"providerVersionBranch":"","includePendingStatus":true}`,
			map[string][]string{"providerVersionBranch": {fvMsgBranchEmpty}}},
		{"branch empty with WIP and empty tags", `{"providerVersionBranch":"","providerVersionTags":[],"includeWipPactsSince":"2020-01-01"}`,
			map[string][]string{"providerVersionBranch": {fvMsgBranchEmpty}}},
		{"branch empty with tags", `{"providerVersionBranch":"","providerVersionTags":["foo"],"includePendingStatus":true}`, nil},
		{"branch empty without pending or WIP", `{"providerVersionBranch":"","includePendingStatus":false}`, nil},
		{"pending not a boolean", `{"includePendingStatus":"true"}`, map[string][]string{"includePendingStatus": {"must be one of: true, false"}}},
		{"WIP since null", `{"includeWipPactsSince":null}`, map[string][]string{"includeWipPactsSince": {"must be filled"}}},
		{"WIP since not a date", `{"includeWipPactsSince":"foo"}`, map[string][]string{"includeWipPactsSince": {"must be a date"}}},
		{"WIP since a date-time", `{"includeWipPactsSince":"2013-02-13T20:04:45.000+11:00"}`, nil},
	}
	f := fvBase()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal([]byte(tc.body), &m); err != nil {
				t.Fatal(err)
			}
			_, err := DecodePactsForVerification(f, "Bar", m)
			var ve *domain.ValidationError
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want == nil:
			case !errors.As(err, &ve) || !errors.Is(err, domain.ErrInvalid):
				t.Fatalf("want a validation error, got %v", err)
			case !maps.EqualFunc(ve.Fields, tc.want, slices.Equal[[]string]):
				t.Fatalf("got  %q\nwant %q", ve.Fields, tc.want)
			}
		})
	}
}

func TestDecodePactsForVerificationValues(t *testing.T) {
	f := fvBase()
	req := fvDecode(t, f, `{"providerVersionBranch":"main","providerVersionTags":["a","b"],"includeWipPactsSince":"2020-01-02",
		"consumerVersionSelectors":[{"deployedOrReleased":true,"environment":"test"},{"mainBranch":true},{"branch":true},{"tag":"x"}]}`)
	if !req.IncludePendingStatus || req.ProviderVersionBranch != "main" || strings.Join(req.ProviderVersionTags, ",") != "a,b" ||
		!req.IncludeWIPPactsSince.Equal(time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("request: %+v", req)
	}
	s := req.Selectors
	if len(s) != 5 || !s[0].Deployed || s[0].Released || !s[1].Released || s[1].Deployed || s[1].Environment != "test" ||
		!s[2].MainBranch || !s[2].latest() || !s[3].AllBranches || !s[3].latest() || s[4].Latest != nil || !s[4].allForTag() {
		t.Fatalf("deployedOrReleased splits, mainBranch and branch imply latest, tag alone is all: %+v", s)
	}
	if req := fvDecode(t, f, `{"includePendingStatus":false}`); req.IncludePendingStatus {
		t.Fatal("includePendingStatus false")
	}
}
