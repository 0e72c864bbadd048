package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// e2eVerificationPact is a pact of consumer with Bar: GET path answers
// {"msg": msg}.
func e2eVerificationPact(consumer, path, msg string) string {
	return fmt.Sprintf(`{"consumer": {"name": %q}, "provider": {"name": "Bar"},
  "interactions": [{"description": "a request for %s", "request": {"method": "GET", "path": %q},
    "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"msg": %q}}}],
  "metadata": {"pactSpecification": {"version": "2.0.0"}}}`, consumer, path, path, msg)
}

// TestE2EPactsForVerification publishes two consumers' pacts with the
// official CLI (main and feature branches, one version deployed to
// production) and runs the official `pact verifier` with the mainBranch and
// deployedOrReleased selectors, pending enabled, against a tiny provider:
// the feature pact is never verified, a failing pending pact leaves the run
// green, and a failing pact that main had verified fails it.
func TestE2EPactsForVerification(t *testing.T) {
	official := officialCLI(t)
	bin := e2eBuild(t)
	s := e2eStart(t, bin)
	cli := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}

	publish := func(consumer, version, branch, pact string) string {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, consumer+"-Bar.json"), []byte(pact), 0o600); err != nil {
			t.Fatal(err)
		}
		cli.ok(t, s, []string{"Pact successfully published for " + consumer + " version " + version + " and provider Bar."},
			"publish", dir, "--consumer-app-version", version, "--branch", branch)
		_, v := s.getJSON(t, "/pacts/provider/Bar/consumer/"+consumer+"/version/"+version)
		return e2eStr(v, "_links", "pb:pact-version", "name")
	}
	foo := publish("Foo", "1.0.0", "main", e2eVerificationPact("Foo", "/hello", "hello"))
	cli.ok(t, s, []string{"Recorded deployment of Foo version 1.0.0 to production environment"},
		"record-deployment", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "production")
	bazMain := publish("Baz", "1.0.0", "main", e2eVerificationPact("Baz", "/greet", "hi"))
	bazFeature := publish("Baz", "1.1.0", "feature", e2eVerificationPact("Baz", "/greet", "hey"))

	var mu sync.Mutex
	answers := map[string]string{"/hello": "hello", "/greet": "hi"}
	answer := func(path, msg string) { mu.Lock(); answers[path] = msg; mu.Unlock() }
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		msg, ok := answers[r.URL.Path]
		mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"msg": msg})
	}))
	defer provider.Close()
	_, port, _ := net.SplitHostPort(provider.Listener.Addr().String())

	verify := func(providerVersion string) (int, string) {
		t.Helper()
		return e2eVerify(t, official, s, port, "--provider-name", "Bar",
			"--consumer-version-selectors", `{"mainBranch":true}`, "--consumer-version-selectors", `{"deployedOrReleased":true}`,
			"--enable-pending", "--provider-branch", "main", "--publish", "--provider-version", providerVersion)
	}
	result := func(consumer, sha, n string) (int, any) {
		t.Helper()
		return s.getJSON(t, "/pacts/provider/Bar/consumer/"+consumer+"/pact-version/"+sha+"/verification-results/"+n)
	}
	wantResult := func(consumer, sha, n, providerVersion string, success bool) {
		t.Helper()
		status, v := result(consumer, sha, n)
		if status != http.StatusOK || e2eAt(v, "success") != success || e2eStr(v, "providerApplicationVersion") != providerVersion {
			t.Fatalf("%s result %s: %d %v; want success %v by %s", consumer, n, status, v, success, providerVersion)
		}
	}

	// 1. Both main heads (Foo's also deployed) pass; the feature pact is not selected.
	code, out := verify("2.0.0")
	if code != 0 || !strings.Contains(out, "* consumer version(s) currently deployed to production (1.0.0)\n"+
		"    * latest version from the main branch 'main' (1.0.0)") {
		t.Fatalf("first run: exit %d\n%s", code, out)
	}
	wantResult("Foo", foo, "1", "2.0.0", true)
	wantResult("Baz", bazMain, "1", "2.0.0", true)
	if status, v := result("Baz", bazFeature, "latest"); status != http.StatusNotFound {
		t.Fatalf("the feature branch pact was verified: %d %v", status, v)
	}

	// 2. Baz changes its main pact: never verified, so pending; failing it keeps the run green.
	bazNew := publish("Baz", "1.2.0", "main", e2eVerificationPact("Baz", "/greet", "hello there"))
	pending := s.pendingByConsumer(t)
	if pending["Foo"] != false || pending["Baz"] != true || len(pending) != 2 {
		t.Fatalf("pending before the second run: %v", pending)
	}
	if code, out := verify("2.0.1"); code != 0 || !strings.Contains(out, "Pending Failures") {
		t.Fatalf("a failing pending pact: exit %d, want 0\n%s", code, out)
	}
	wantResult("Baz", bazNew, "1", "2.0.1", false)
	wantResult("Foo", foo, "2", "2.0.1", true)

	// 3. The provider breaks Foo's pact, which main verified before: the run fails.
	answer("/hello", "bye")
	if code, out := verify("2.0.2"); code != 1 || !strings.Contains(out, "Failures") {
		t.Fatalf("a failing non-pending pact: exit %d, want 1\n%s", code, out)
	}
	wantResult("Foo", foo, "3", "2.0.2", false)
	if status, _ := result("Baz", bazFeature, "latest"); status != http.StatusNotFound {
		t.Fatalf("the feature branch pact was verified later: %d", status)
	}
}

// pendingByConsumer asks for the verifier's selectors and returns each
// consumer's pending status.
func (s *e2eServer) pendingByConsumer(t *testing.T) map[string]bool {
	t.Helper()
	body := `{"consumerVersionSelectors":[{"mainBranch":true},{"deployedOrReleased":true}],` +
		`"providerVersionBranch":"main","includePendingStatus":true}`
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(s.URL+"/pacts/provider/Bar/for-verification", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("for-verification: %d %v", resp.StatusCode, err)
	}
	out := map[string]bool{}
	for i := range e2eList(v, "_embedded", "pacts") {
		p := e2eAt(v, "_embedded", "pacts", fmt.Sprint(i))
		name := e2eStr(p, "_links", "self", "name") // "Pact between C (v) and Bar"
		consumer, _, _ := strings.Cut(strings.TrimPrefix(name, "Pact between "), " (")
		out[consumer], _ = e2eAt(p, "verificationProperties", "pending").(bool)
	}
	return out
}
