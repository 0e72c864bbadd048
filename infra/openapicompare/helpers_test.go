package openapicompare

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

// pactOf wraps interaction JSON objects into a pact of the given
// specification version ("2.0.0", "3.0.0", "4.0").
func pactOf(version string, interactions ...string) []byte {
	return []byte(fmt.Sprintf(`{"consumer":{"name":"c"},"provider":{"name":"p"},"interactions":[%s],
		"metadata":{"pactSpecification":{"version":%q}}}`, strings.Join(interactions, ","), version))
}

// compareOne compares a V3 pact made of the interactions with oas.
func compareOne(t *testing.T, oas string, interactions ...string) domain.ComparisonOutcome {
	t.Helper()
	out, err := New().Compare(context.Background(), domain.ComparisonInput{
		Pact: pactOf("3.0.0", interactions...), Contract: []byte(oas),
	})
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	return out
}

// codes lists "code/type" of every mismatch, sorted.
func codes(out domain.ComparisonOutcome) []string {
	var cs []string
	for _, m := range out.Mismatches {
		cs = append(cs, m.Code+"/"+m.Type)
	}
	slices.Sort(cs)
	return cs
}

// ruleCase is one interaction against one spec, with the expected sorted
// "code/type" list (nil: no mismatch at all).
type ruleCase struct {
	name        string
	oas         string
	interaction string
	want        []string
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := compareOne(t, c.oas, c.interaction)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if got := codes(out); !slices.Equal(got, want) {
				t.Errorf("codes = %v, want %v\n%s", got, want, describe(out.Mismatches))
			}
			wantSuccess := !slices.ContainsFunc(c.want, func(s string) bool { return strings.HasSuffix(s, "/error") })
			if out.Success != wantSuccess {
				t.Errorf("success = %v, want %v", out.Success, wantSuccess)
			}
		})
	}
}

// ia builds an interaction JSON object from request and response
// JSON fragments.
func ia(request, response string) string {
	return fmt.Sprintf(`{"description":"d","request":%s,"response":%s}`, request, response)
}

// compareWith compares with a given Comparator (to exercise its cache).
func compareWith(t *testing.T, c *Comparator, oas string, interactions ...string) domain.ComparisonOutcome {
	t.Helper()
	out, err := c.Compare(context.Background(), domain.ComparisonInput{
		Pact: pactOf("3.0.0", interactions...), ContractSHA: "sha-" + fmt.Sprint(len(oas)), Contract: []byte(oas),
	})
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	return out
}
