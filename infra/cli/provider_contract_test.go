package cli

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// incompatibleComparator fails every comparison with one mismatch.
type incompatibleComparator struct{}

func (incompatibleComparator) Compare(context.Context, domain.ComparisonInput) (domain.ComparisonOutcome, error) {
	return domain.ComparisonOutcome{Engine: "fake", Mismatches: []domain.Mismatch{{Code: "request.path-or-method.unknown",
		Type: domain.MismatchError, Message: "Path or method not defined in spec file: GET /hello", Interaction: "a hello request",
		PactLocation: "[root].interactions[0].request.path", PactValue: []byte(`"/hello"`), SpecLocation: "[root].paths"}}}, nil
}

func TestPublishProviderContractAndCanIDeployShowsMismatches(t *testing.T) {
	a := app.Start(memstore.New(), app.Options{Comparator: incompatibleComparator{}})
	if _, err := a.Commands.SeedEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	dir := t.TempDir()
	oas := filepath.Join(dir, "oas.yaml")
	results := filepath.Join(dir, "report.txt")
	pact := filepath.Join(dir, "pact.json")
	os.WriteFile(oas, []byte("openapi: 3.0.0\ninfo: {title: Bar, version: '1'}\npaths: {}\n"), 0o600)
	os.WriteFile(results, []byte("2 passing"), 0o600)
	os.WriteFile(pact, []byte(`{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},"interactions":[{"description":"a hello request",`+
		`"request":{"method":"GET","path":"/hello"},"response":{"status":200}}],"metadata":{"pactSpecification":{"version":"2.0.0"}}}`), 0o600)
	noEnv := func(string) (string, bool) { return "", false }
	cli := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append(args, "-b", srv.URL), &out, &errOut, noEnv)
		return code, out.String() + errOut.String()
	}

	code, out := cli("publish-provider-contract", oas, "--provider", "Bar", "-a", "2.0.0", "--branch", "main", "-t", "dev",
		"--verification-exit-code", "0", "--verification-results", results, "--verification-results-format", "text", "--verifier", "dredd")
	if code != ExitOK || !strings.Contains(out, "📨 Attempting to publish provider contract for provider: Bar version: 2.0.0") ||
		!strings.Contains(out, "✅ ") {
		t.Fatalf("publish-provider-contract: exit %d\n%s", code, out)
	}
	pc, ok := a.ProviderContracts.Contract("Bar", "2.0.0")
	if !ok || !pc.SelfVerified() || pc.SelfVerification.Verifier != "dredd" || string(pc.SelfVerification.Content) != "2 passing" ||
		pc.ContentType != "application/yaml" {
		t.Fatalf("stored contract: %+v", pc)
	}
	if v, _ := a.Catalog.Version("Bar", "2.0.0"); len(v.Tags) != 1 || len(v.Branches) != 1 {
		t.Fatalf("tags and branch: %+v", v)
	}
	if code, out := cli("publish", pact, "-a", "1.0.0"); code != ExitOK {
		t.Fatalf("publish: %s", out)
	}
	if code, out := cli("record-deployment", "-a", "Bar", "-e", "2.0.0", "--environment", "production"); code != ExitOK {
		t.Fatalf("record-deployment: %s", out)
	}
	code, out = cli("can-i-deploy", "-a", "Foo", "-e", "1.0.0", "--to-environment", "production", "--retry-while-unknown", "100", "--retry-interval", "0.05")
	for _, want := range []string{"Computer says no", "MISMATCHES: Foo 1.0.0 and the OpenAPI contract of Bar 2.0.0",
		`1. [error] request.path-or-method.unknown — interaction "a hello request": Path or method not defined in spec file: GET /hello`,
		`the pact sends: "/hello" (at [root].interactions[0].request.path)`, "is not compatible with the OpenAPI contract"} {
		if !strings.Contains(out, want) {
			t.Errorf("can-i-deploy output lacks %q", want)
		}
	}
	if code != ExitError || t.Failed() {
		t.Fatalf("exit %d\n%s", code, out)
	}

	code, out = cli("publish-provider-contract", oas, "--provider", "Bar", "-a", "3", "--specification", "asyncapi")
	if code != ExitError || !strings.Contains(out, "Provider contract publication failed") && !strings.Contains(out, "specification") {
		t.Fatalf("bad specification: exit %d\n%s", code, out)
	}
}
