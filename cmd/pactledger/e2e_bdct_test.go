package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EBidirectional runs bi-directional contract testing against the
// built server (embedded JetStream, the real OpenAPI comparator) with the
// official CLI: `pact pactflow publish-provider-contract`, `pact broker
// publish`, `record-deployment`, then `can-i-deploy --to-environment` for a
// compatible pair (exit 0) and an incompatible one (exit 1, the reason
// naming the comparison; our CLI lists the mismatch), and an on-demand
// comparison: never pre-generated, unknown at first, turned into yes by
// `--retry-while-unknown` polling. The pairs are the openapi-pact-comparator
// petstore fixtures in testdata/bdct.
func TestE2EBidirectional(t *testing.T) {
	official := officialCLI(t)
	bin := e2eBuild(t)
	s := e2eStart(t, bin)
	broker := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}
	pactflow := e2eCLI{name: "pact pactflow", argv: []string{official, "pactflow"}}
	ours := e2eCLI{name: "pactledger", argv: []string{bin}}

	dir := t.TempDir()
	oas := filepath.Join("testdata", "bdct", "petstore-oas.yaml")
	report := filepath.Join(dir, "report.txt")
	mustWrite(t, report, "12 passing (dredd)")
	valid, invalid := readFixture(t, "petstore-pact-valid.json"), readFixture(t, "petstore-pact-invalid.json")
	// The on-demand pact: the valid one with other descriptions, so its
	// content (and SHA) is new and nothing was compared with it before.
	onDemand := strings.ReplaceAll(valid, `"description": "a request to`, `"description": "on demand, a request to`)
	for name, content := range map[string]string{"valid": valid, "invalid": invalid, "ondemand": onDemand} {
		mustWrite(t, filepath.Join(dir, name, "petstore-consumer-petstore-api.json"), content)
	}

	pactflow.ok(t, s, []string{"Attempting to publish provider contract for provider: petstore-api version: 1.0.0"},
		"publish-provider-contract", oas, "--provider", "petstore-api", "--provider-app-version", "1.0.0", "--branch", "main",
		"--tag", "dev", "--content-type", "application/yaml", "--verification-success", "--verification-results", report,
		"--verification-results-format", "text", "--verifier", "dredd", "--verifier-version", "14.0.0")
	broker.ok(t, s, []string{"Pact successfully published"}, "publish", filepath.Join(dir, "valid"),
		"--consumer-app-version", "1.0.0", "--branch", "main")
	broker.ok(t, s, []string{"Pact successfully published"}, "publish", filepath.Join(dir, "invalid"),
		"--consumer-app-version", "2.0.0", "--branch", "feature-x")
	broker.ok(t, s, []string{"Recorded deployment of petstore-api version 1.0.0 to production"},
		"record-deployment", "--pacticipant", "petstore-api", "--version", "1.0.0", "--environment", "production")

	// Pre-generated (the provider is deployed and heads main); polling only
	// covers the comparison still running in the background.
	poll := []string{"--retry-while-unknown", "30", "--retry-interval", "1"}
	compatible := []string{"--pacticipant", "petstore-consumer", "--version", "1.0.0", "--to-environment", "production"}
	broker.ok(t, s, []string{"Computer says yes", "All required verification results are published and successful"},
		"can-i-deploy", append(compatible, poll...)...)

	incompatible := []string{"--pacticipant", "petstore-consumer", "--version", "2.0.0", "--to-environment", "production"}
	r := broker.run(t, s, "can-i-deploy", append(incompatible, poll...)...)
	if r.code != 1 || !strings.Contains(r.combined(), "Computer says no") || !strings.Contains(r.combined(),
		"is not compatible with the OpenAPI contract of the version of petstore-api currently in production (1.0.0)") {
		t.Fatalf("incompatible pair must exit 1 naming the comparison (exit %d):\n%s", r.code, r.combined())
	}
	r = ours.run(t, s, "can-i-deploy", incompatible...)
	if r.code != 1 || !strings.Contains(r.combined(), "MISMATCHES: petstore-consumer 2.0.0 and the OpenAPI contract of petstore-api 1.0.0") ||
		!strings.Contains(r.combined(), `[error] response.status.unknown — interaction "a request to create a pet`) {
		t.Fatalf("our can-i-deploy must list the mismatch (exit %d):\n%s", r.code, r.combined())
	}

	// On demand: a contract published without a branch, deployed to test
	// only after both publications, is never a pre-generation target.
	changed := filepath.Join(dir, "oas-2.yaml")
	mustWrite(t, changed, readFile(t, oas)+"\n# revision 2\n")
	pactflow.ok(t, s, nil, "publish-provider-contract", changed, "--provider", "petstore-api", "--provider-app-version", "2.0.0",
		"--verification-exit-code", "0", "--verifier", "dredd")
	broker.ok(t, s, nil, "publish", filepath.Join(dir, "ondemand"), "--consumer-app-version", "3.0.0")
	broker.ok(t, s, nil, "record-deployment", "--pacticipant", "petstore-api", "--version", "2.0.0", "--environment", "test")
	if compared(t, s, "2.0.0", "3.0.0") {
		t.Fatal("the on-demand pair was compared before anything asked for it")
	}
	// The comparison does not exist, so the CLI's first GET is answered
	// unknown (and requests it); only a later poll can say yes.
	onDemandAsk := []string{"--pacticipant", "petstore-consumer", "--version", "3.0.0", "--to-environment", "test"}
	r = broker.run(t, s, "can-i-deploy", append(onDemandAsk, poll...)...)
	if r.code != 0 || !strings.Contains(r.combined(), "Computer says yes") {
		t.Fatalf("polling must turn the on-demand unknown into yes (exit %d):\n%s", r.code, r.combined())
	}
	if !compared(t, s, "2.0.0", "3.0.0") {
		t.Fatal("can-i-deploy said yes but the comparisons resource does not list the on-demand comparison")
	}
}

// compared reports whether the comparisons resource of a petstore-api
// contract lists a completed comparison with a consumer version's pact.
func compared(t *testing.T, s *e2eServer, providerVersion, consumerVersion string) bool {
	t.Helper()
	status, body := s.getJSON(t, "/provider-contracts/provider/petstore-api/version/"+providerVersion+"/comparisons")
	if status != 200 {
		t.Fatalf("comparisons of petstore-api %s: %d", providerVersion, status)
	}
	for _, c := range e2eList(body, "comparisons") {
		for _, v := range e2eList(c, "consumerVersionNumbers") {
			if v == consumerVersion {
				return true
			}
		}
	}
	return false
}

func readFixture(t *testing.T, name string) string {
	return readFile(t, filepath.Join("testdata", "bdct", name))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
