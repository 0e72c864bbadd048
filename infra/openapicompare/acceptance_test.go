package openapicompare

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

// acceptanceCase is one directory of testdata/: a pact, an OpenAPI document,
// expected.txt (first line "outcome: compatible|incompatible (N errors, M
// warnings)") and, for the openapi-pact-comparator cases, results.json (the
// exact result list OPC produces).
type acceptanceCase struct {
	name       string
	pact, oas  []byte
	compatible bool
	errors     int
	warnings   int
	results    []opcResult // nil when the case has no results.json
}

type opcResult struct {
	Code        string `json:"code"`
	Type        string `json:"type"`
	Message     string `json:"message"`
	MockDetails struct {
		Location string `json:"location"`
	} `json:"mockDetails"`
}

var outcomeLine = regexp.MustCompile(`^outcome: (compatible|incompatible) \((\d+) errors?, (\d+) warnings?`)

func loadCases(t *testing.T) []acceptanceCase {
	t.Helper()
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var cases []acceptanceCase
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "opc-fixtures" || d.Name() == "fuzz" {
			continue
		}
		dir := filepath.Join("testdata", d.Name())
		c := acceptanceCase{name: d.Name()}
		c.pact = mustRead(t, filepath.Join(dir, "pact.json"))
		for _, n := range []string{"oas.yaml", "oas.json"} {
			if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
				c.oas = b
			}
		}
		if c.oas == nil {
			t.Fatalf("%s: no oas.yaml or oas.json", dir)
		}
		first, _, _ := strings.Cut(string(mustRead(t, filepath.Join(dir, "expected.txt"))), "\n")
		m := outcomeLine.FindStringSubmatch(first)
		if m == nil {
			t.Fatalf("%s: cannot read outcome line %q", dir, first)
		}
		c.compatible = m[1] == "compatible"
		c.errors, _ = strconv.Atoi(m[2])
		c.warnings, _ = strconv.Atoi(m[3])
		if b, err := os.ReadFile(filepath.Join(dir, "results.json")); err == nil {
			if err := json.Unmarshal(b, &c.results); err != nil {
				t.Fatalf("%s: results.json: %v", dir, err)
			}
			if c.results == nil {
				c.results = []opcResult{}
			}
		}
		cases = append(cases, c)
	}
	if len(cases) < 10 {
		t.Fatalf("expected the 10 acceptance cases, found %d", len(cases))
	}
	return cases
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAcceptanceCases runs every copied BDCT case: the outcome must match
// expected.txt, and for openapi-pact-comparator cases the multiset of
// (code, type) must equal results.json's.
func TestAcceptanceCases(t *testing.T) {
	cmp := New()
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			out, err := cmp.Compare(context.Background(), domain.ComparisonInput{
				PactSHA: c.name + "-pact", Pact: c.pact, ContractSHA: c.name + "-oas", Contract: c.oas,
			})
			if err != nil {
				t.Fatalf("Compare: %v", err)
			}
			if out.Success != c.compatible {
				t.Errorf("success = %v, want %v (compatible per expected.txt)\n%s", out.Success, c.compatible, describe(out.Mismatches))
			}
			errs, warns := countTypes(out.Mismatches)
			if c.results != nil {
				got := codeTypes(out.Mismatches)
				var want []string
				for _, r := range c.results {
					want = append(want, r.Code+" "+r.Type)
				}
				sort.Strings(want)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("(code, type) multiset differs from results.json\n got: %v\nwant: %v\n%s", got, want, describe(out.Mismatches))
				}
				// Stricter: the same messages at the same pact locations.
				gotDetailed := map[string]int{}
				for _, m := range out.Mismatches {
					gotDetailed[m.Code+" @ "+m.PactLocation+": "+m.Message]++
				}
				for _, r := range c.results {
					k := r.Code + " @ " + r.MockDetails.Location + ": " + r.Message
					if gotDetailed[k] == 0 {
						t.Errorf("missing result (code @ pact location: message) %q\n%s", k, describe(out.Mismatches))
					}
					gotDetailed[k]--
				}
			}
			if errs != c.errors || warns != c.warnings {
				t.Errorf("counts: %d errors, %d warnings; expected.txt says %d, %d\n%s", errs, warns, c.errors, c.warnings, describe(out.Mismatches))
			}
		})
	}
}

func countTypes(ms []domain.Mismatch) (errs, warns int) {
	for _, m := range ms {
		switch m.Type {
		case domain.MismatchError:
			errs++
		case domain.MismatchWarning:
			warns++
		}
	}
	return errs, warns
}

func codeTypes(ms []domain.Mismatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Code+" "+m.Type)
	}
	sort.Strings(out)
	return out
}

func describe(ms []domain.Mismatch) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "  %s %s at %s = %s: %s (spec %s)\n", m.Type, m.Code, m.PactLocation, m.PactValue, m.Message, m.SpecLocation)
	}
	return b.String()
}

// TestOPCFixtures runs every other OAS fixture of openapi-pact-comparator
// (testdata/opc-fixtures, 36 cases) and asserts the exact result list:
// the same (code, type, pact location, message) entries as results.json.
func TestOPCFixtures(t *testing.T) {
	dirs, err := filepath.Glob("testdata/opc-fixtures/*/results.json")
	if err != nil || len(dirs) < 36 {
		t.Fatalf("want the 36 OPC fixtures, found %d (%v)", len(dirs), err)
	}
	for _, resultsPath := range dirs {
		dir := filepath.Dir(resultsPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var want []opcResult
			if err := json.Unmarshal(mustRead(t, resultsPath), &want); err != nil {
				t.Fatal(err)
			}
			out, err := New().Compare(context.Background(), domain.ComparisonInput{
				Pact: mustRead(t, filepath.Join(dir, "pact.json")), Contract: mustRead(t, filepath.Join(dir, "oas.yaml")),
			})
			if err != nil {
				t.Fatal(err)
			}
			var gotKeys, wantKeys []string
			for _, m := range out.Mismatches {
				gotKeys = append(gotKeys, m.Code+" "+m.Type+" @ "+m.PactLocation+": "+m.Message)
			}
			wantErrors := false
			for _, r := range want {
				wantKeys = append(wantKeys, r.Code+" "+r.Type+" @ "+r.MockDetails.Location+": "+r.Message)
				wantErrors = wantErrors || r.Type == domain.MismatchError
			}
			sort.Strings(gotKeys)
			sort.Strings(wantKeys)
			if strings.Join(gotKeys, "\n") != strings.Join(wantKeys, "\n") {
				t.Errorf("results differ\n got:\n  %s\nwant:\n  %s", strings.Join(gotKeys, "\n  "), strings.Join(wantKeys, "\n  "))
			}
			if out.Success == wantErrors {
				t.Errorf("success = %v with expected errors = %v", out.Success, wantErrors)
			}
		})
	}
}
