package openapicompare

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

// FuzzCompare feeds arbitrary pacts and specs (seeded with the acceptance
// cases): Compare must never fail or panic on untrusted documents, and the
// outcome must be consistent with its mismatches.
func FuzzCompare(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/*")
	for _, d := range dirs {
		pact, err := os.ReadFile(filepath.Join(d, "pact.json"))
		if err != nil {
			continue
		}
		for _, n := range []string{"oas.yaml", "oas.json"} {
			if oas, err := os.ReadFile(filepath.Join(d, n)); err == nil {
				f.Add(pact, oas)
			}
		}
	}
	f.Fuzz(func(t *testing.T, pact, oas []byte) {
		out, err := NewWithOptions(Options{CacheSize: -1}).Compare(context.Background(), domain.ComparisonInput{Pact: pact, Contract: oas})
		if err != nil {
			t.Fatalf("Compare returned an error for untrusted input: %v", err)
		}
		hasError := false
		for _, m := range out.Mismatches {
			hasError = hasError || m.Type == domain.MismatchError
		}
		if out.Success == hasError {
			t.Fatalf("success=%v inconsistent with mismatches %v", out.Success, codes(out))
		}
	})
}
