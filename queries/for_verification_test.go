package queries

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

// fvBase: Foo (main branch main) has 1, 2 on main and 3 on feat; Baz (no
// main branch) has 1 on main and 2 on feat. Tags: Foo 1 prod, Foo 2 and 3
// dev, Baz 1 prod. Foo 1 is deployed to production, Foo 2 released in
// test, Baz 1 deployed to test. Every pact has its own content.
func fvBase() *fvFake {
	f := newFVFake().app("Foo", "main").app("Baz", "").app("Bar", "")
	f.version("Foo", "1", "main").pact("Foo", "1", "Bar", "f1").tag("Foo", "1", "prod")
	f.version("Foo", "2", "main").pact("Foo", "2", "Bar", "f2").tag("Foo", "2", "dev")
	f.version("Foo", "3", "feat").pact("Foo", "3", "Bar", "f3").tag("Foo", "3", "dev")
	f.version("Baz", "1", "main").pact("Baz", "1", "Bar", "b1").tag("Baz", "1", "prod")
	f.version("Baz", "2", "feat").pact("Baz", "2", "Bar", "b2")
	return f.deploy("Foo", "1", "production").release("Foo", "2", "test").deploy("Baz", "1", "test")
}

// fvDecode decodes a JSON body as the API does and fails on errors.
func fvDecode(t *testing.T, r PactsForVerificationReader, body string) PactsForVerificationRequest {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	req, err := DecodePactsForVerification(r, "Bar", m)
	if err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return req
}

// fvSummary renders each pact as "consumer version sha: short description".
func fvSummary(pacts []VerifiablePact) []string {
	out := []string{}
	for _, p := range pacts {
		out = append(out, fmt.Sprintf("%s %s %s: %s", p.Consumer, p.ConsumerVersion, p.SHA, p.ShortDescription()))
	}
	return out
}

func TestPactsForVerificationSelectors(t *testing.T) {
	cases := []struct {
		name, body string
		given      func(*fvFake)
		want       []string
	}{
		{"mainBranch: each main branch head", `{"consumerVersionSelectors":[{"mainBranch":true}]}`, nil,
			[]string{"Foo 2 f2: latest from main branch"}},
		{"mainBranch: a head without a pact selects nothing", `{"consumerVersionSelectors":[{"mainBranch":true}]}`,
			func(f *fvFake) { f.version("Foo", "4", "main") }, []string{}},
		{"branch", `{"consumerVersionSelectors":[{"branch":"feat"}]}`, nil,
			[]string{"Baz 2 b2: latest from branch feat", "Foo 3 f3: latest from branch feat"}},
		{"branch with consumer", `{"consumerVersionSelectors":[{"branch":"feat","consumer":"Foo"}]}`, nil,
			[]string{"Foo 3 f3: latest from branch feat"}},
		{"fallbackBranch used", `{"consumerVersionSelectors":[{"branch":"nope","fallbackBranch":"main"}]}`, nil,
			[]string{"Baz 1 b1: latest from branch main", "Foo 2 f2: latest from branch main"}},
		{"fallbackBranch unused", `{"consumerVersionSelectors":[{"branch":"feat","fallbackBranch":"main"}]}`, nil,
			[]string{"Baz 2 b2: latest from branch feat", "Foo 3 f3: latest from branch feat"}},
		{"branch true: every branch head", `{"consumerVersionSelectors":[{"branch":true}]}`, nil,
			[]string{"Baz 1 b1: latest from branch main", "Baz 2 b2: latest from branch feat",
				"Foo 2 f2: latest from branch main", "Foo 3 f3: latest from branch feat"}},
		{"matchingBranch", `{"consumerVersionSelectors":[{"matchingBranch":true}],"providerVersionBranch":"feat"}`, nil,
			[]string{"Baz 2 b2: latest from branch feat", "Foo 3 f3: latest from branch feat"}},
		{"tag and latest", `{"consumerVersionSelectors":[{"tag":"dev","latest":true}]}`, nil,
			[]string{"Foo 3 f3: latest with tag dev"}},
		{"tag head without a pact selects nothing", `{"consumerVersionSelectors":[{"tag":"dev","latest":true}]}`,
			func(f *fvFake) { f.tag("Foo", "4", "dev") }, []string{}},
		{"fallbackTag used", `{"consumerVersionSelectors":[{"tag":"nope","latest":true,"fallbackTag":"prod"}]}`, nil,
			[]string{"Baz 1 b1: latest with tag prod", "Foo 1 f1: latest with tag prod"}},
		{"fallbackTag unused when any consumer has the tag", `{"consumerVersionSelectors":[{"tag":"dev","latest":true,"fallbackTag":"prod"}]}`,
			nil, []string{"Foo 3 f3: latest with tag dev"}},
		{"tag without latest: every tagged version", `{"consumerVersionSelectors":[{"tag":"dev"}]}`, nil,
			[]string{"Foo 2 f2: one of dev", "Foo 3 f3: one of dev"}},
		{"tag without latest, one consumer", `{"consumerVersionSelectors":[{"tag":"dev","consumer":"Foo","latest":false}]}`, nil,
			[]string{"Foo 2 f2: one of Foo dev", "Foo 3 f3: one of Foo dev"}},
		{"latest", `{"consumerVersionSelectors":[{"latest":true}]}`, nil,
			[]string{"Baz 2 b2: latest", "Foo 3 f3: latest"}},
		{"latest for one consumer", `{"consumerVersionSelectors":[{"latest":true,"consumer":"Baz"}]}`, nil,
			[]string{"Baz 2 b2: latest"}},
		{"deployed anywhere", `{"consumerVersionSelectors":[{"deployed":true}]}`, nil,
			[]string{"Baz 1 b1: deployed to test", "Foo 1 f1: deployed to production"}},
		{"deployed to an environment", `{"consumerVersionSelectors":[{"deployed":true,"environment":"test"}]}`, nil,
			[]string{"Baz 1 b1: deployed to test"}},
		{"released", `{"consumerVersionSelectors":[{"released":true}]}`, nil,
			[]string{"Foo 2 f2: released in test"}},
		{"deployedOrReleased", `{"consumerVersionSelectors":[{"deployedOrReleased":true}]}`, nil,
			[]string{"Baz 1 b1: deployed to test", "Foo 1 f1: deployed to production", "Foo 2 f2: released in test"}},
		{"environment: deployed or released there, once each", `{"consumerVersionSelectors":[{"environment":"test"}]}`,
			func(f *fvFake) { f.release("Baz", "1", "test") },
			[]string{"Baz 1 b1: in environment test", "Foo 2 f2: in environment test"}},
		{"several selectors", `{"consumerVersionSelectors":[{"mainBranch":true},{"deployedOrReleased":true}]}`, nil,
			[]string{"Baz 1 b1: deployed to test", "Foo 1 f1: deployed to production",
				"Foo 2 f2: released in test, latest from main branch"}},
		{"defaults: main branch, else tag named like it, else latest; and deployed, released", `{}`,
			func(f *fvFake) {
				f.app("Qux", "main").tag("Qux", "1", "main").pact("Qux", "1", "Bar", "q1").pact("Qux", "2", "Bar", "q2")
			},
			[]string{"Baz 1 b1: deployed to test", "Baz 2 b2: latest", "Foo 1 f1: deployed to production",
				"Foo 2 f2: released in test, latest from main branch", "Qux 1 q1: latest with tag main"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := fvBase()
			if tc.given != nil {
				tc.given(f)
			}
			got := fvSummary(fvRun(t, f, fvDecode(t, f, tc.body)))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestPactsForVerificationMergesByPactVersion(t *testing.T) {
	f := newFVFake().app("Foo", "main").app("Bar", "")
	f.version("Foo", "1", "main").pact("Foo", "1", "Bar", "same").tag("Foo", "1", "prod")
	f.version("Foo", "2", "main").pact("Foo", "2", "Bar", "same")
	f.deploy("Foo", "1", "production").deploy("Foo", "1", "test")
	req := fvDecode(t, f, `{"consumerVersionSelectors":[{"mainBranch":true},{"tag":"prod","latest":true},{"deployed":true},{"latest":true}]}`)
	pacts := fvRun(t, f, req)
	if got := fvSummary(pacts); !slices.Equal(got, []string{
		"Foo 2 same: latest, latest with tag prod, deployed to test, deployed to production, latest from main branch"}) {
		t.Fatalf("one entry per content, the newest version, selectors in the Pact Broker's order: %q", got)
	}
	if pacts[0].Name() != "Pact between Foo (2) and Bar" {
		t.Fatalf("name: %s", pacts[0].Name())
	}
	var versions []string
	for _, s := range pacts[0].Selectors {
		versions = append(versions, s.ConsumerVersion)
	}
	if !slices.Equal(versions, []string{"2", "1", "1", "1", "2"}) {
		t.Fatalf("each selector keeps the version it chose: %v", versions)
	}
}

func TestPactsForVerificationUnknownProvider(t *testing.T) {
	f := fvBase()
	if _, err := PactsForVerification(f, PactsForVerificationRequest{Provider: "Nope"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
	if got := fvRun(t, f, PactsForVerificationRequest{Provider: "Foo"}); len(got) != 0 {
		t.Fatalf("a provider without consumers: %v", fvSummary(got))
	}
}
