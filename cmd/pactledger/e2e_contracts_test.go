package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// e2ePact is the consumer's pact file: one interaction the provider answers.
const e2ePact = `{
  "consumer": {"name": "Foo"},
  "provider": {"name": "Bar"},
  "interactions": [{
    "description": "a hello request",
    "request": {"method": "GET", "path": "/hello"},
    "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"msg": "hello"}}
  }],
  "metadata": {"pactSpecification": {"version": "2.0.0"}}
}`

// TestE2EContracts publishes a pact with the official `pact broker publish`
// and verifies it with the official `pact verifier` against a tiny provider,
// once passing and once failing, checking every outcome through the API.
func TestE2EContracts(t *testing.T) {
	official := officialCLI(t)
	bin := e2eBuild(t)
	s := e2eStart(t, bin)
	cli := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Foo-Bar.json"), []byte(e2ePact), 0o600); err != nil {
		t.Fatal(err)
	}
	cli.ok(t, s, []string{"Created Foo version 1.0.0 with branch main", "Pact successfully published for Foo version 1.0.0 and provider Bar."},
		"publish", dir, "--consumer-app-version", "1.0.0", "--branch", "main")
	status, pact := s.getJSON(t, "/pacts/provider/Bar/consumer/Foo/version/1.0.0")
	sha := e2eStr(pact, "_links", "pb:pact-version", "name")
	if status != http.StatusOK || e2eStr(pact, "consumer", "name") != "Foo" || len(sha) != 40 ||
		len(e2eStr(pact, "interactions", "0", "_id")) != 40 || e2eStr(pact, "interactions", "0", "description") != "a hello request" {
		t.Fatalf("GET pact: %d %v", status, pact)
	}
	if _, v := s.getJSON(t, "/pacticipants/Foo/branches/main/versions/1.0.0"); e2eStr(v, "_links", "pb:version", "name") != "1.0.0" {
		t.Fatalf("the consumer version is on main: %v", v)
	}

	var wrong atomic.Bool
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/hello" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if wrong.Load() {
			_, _ = w.Write([]byte(`{"msg":"bye"}`))
			return
		}
		_, _ = w.Write([]byte(`{"msg":"hello"}`))
	}))
	defer provider.Close()
	_, port, _ := net.SplitHostPort(provider.Listener.Addr().String())
	verify := func() (int, string) {
		t.Helper()
		return e2eVerify(t, official, s, port, "--provider-name", "Bar", "--publish",
			"--provider-version", "2.0.0", "--provider-branch", "main")
	}
	results := "/pacts/provider/Bar/consumer/Foo/pact-version/" + sha + "/verification-results/"

	if code, out := verify(); code != 0 {
		t.Fatalf("passing verification: exit %d\n%s", code, out)
	}
	status, first := s.getJSON(t, results+"1")
	if status != http.StatusOK || e2eAt(first, "success") != true || e2eStr(first, "providerApplicationVersion") != "2.0.0" ||
		e2eStr(first, "testResults", "0", "interactionId") != e2eStr(pact, "interactions", "0", "_id") {
		t.Fatalf("first result: %d %v", status, first)
	}
	if status, v := s.getJSON(t, "/pacticipants/Bar/branches/main/versions/2.0.0"); status != http.StatusOK {
		t.Fatalf("the verifier put the provider version on main: %d %v", status, v)
	}

	wrong.Store(true)
	if code, out := verify(); code != 1 || !strings.Contains(out, "Failures") {
		t.Fatalf("failing verification: exit %d, want 1\n%s", code, out)
	}
	status, second := s.getJSON(t, results+"2")
	if status != http.StatusOK || e2eAt(second, "success") != false || e2eStr(second, "testResults", "0", "interactionId") == "" ||
		len(e2eList(second, "testResults", "0", "mismatches")) == 0 {
		t.Fatalf("second result: %d %v", status, second)
	}
	if _, latest := s.getJSON(t, results+"latest"); e2eStr(latest, "_links", "self", "href") != s.URL+results+"2" {
		t.Fatalf("latest result: %v", latest)
	}
	if _, summary := s.getJSON(t, "/verification-results/consumer/Foo/version/1.0.0/latest"); e2eAt(summary, "success") != false ||
		e2eStr(summary, "providerSummary", "failed", "0") != "Bar" {
		t.Fatalf("summary: %v", summary)
	}
	cli.ok(t, s, []string{"Foo", "1.0.0", "Bar"}, "list-latest-pact-versions")
}
