package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2ECanIDeploy runs publish → record-deployment → can-i-deploy with the
// official CLI and with ours against a real server: unknown (exit 1), an
// unknown resolved by a verification published while the CLI polls
// (--retry-while-unknown), yes (exit 0) and no (exit 1).
func TestE2ECanIDeploy(t *testing.T) {
	official := officialCLI(t)
	bin := e2eBuild(t)
	s := e2eStart(t, bin)
	pact := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}
	ours := e2eCLI{name: "pactledger", argv: []string{bin}}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Foo-Bar.json"), []byte(e2ePact), 0o600); err != nil {
		t.Fatal(err)
	}
	pact.ok(t, s, []string{"Pact successfully published"}, "publish", dir, "--consumer-app-version", "1.0.0", "--branch", "main")
	pact.ok(t, s, nil, "create-or-update-version", "--pacticipant", "Bar", "--version", "2.0.0")
	pact.ok(t, s, []string{"Recorded deployment of Bar version 2.0.0 to production"},
		"record-deployment", "--pacticipant", "Bar", "--version", "2.0.0", "--environment", "production")

	ask := []string{"--pacticipant", "Foo", "--version", "1.0.0", "--to-environment", "production"}
	for _, cli := range []e2eCLI{pact, ours} {
		r := cli.run(t, s, "can-i-deploy", ask...)
		if r.code != 1 || !strings.Contains(r.combined(), "There is no verified pact between version 1.0.0 of Foo") {
			t.Fatalf("%s: unknown must exit 1 with the reason (exit %d):\n%s", cli.name, r.code, r.combined())
		}
	}

	// Poll while unknown; publish the verification during the polling.
	done := make(chan e2eResult, 1)
	go func() {
		done <- pact.run(t, s, "can-i-deploy", append(ask, "--retry-while-unknown", "5", "--retry-interval", "1")...)
	}()
	time.Sleep(1500 * time.Millisecond)
	publishResult(t, s, "2.0.0", true)
	if r := <-done; r.code != 0 || !strings.Contains(r.combined(), "Computer says yes") {
		t.Fatalf("polling must turn into yes (exit %d):\n%s", r.code, r.combined())
	}
	for _, cli := range []e2eCLI{pact, ours} {
		cli.ok(t, s, []string{"Computer says yes", "All required verification results are published and successful"}, "can-i-deploy", ask...)
	}

	// A newer provider version fails the pact and is deployed: no.
	pact.ok(t, s, nil, "create-or-update-version", "--pacticipant", "Bar", "--version", "3.0.0")
	publishResult(t, s, "3.0.0", false)
	pact.ok(t, s, nil, "record-deployment", "--pacticipant", "Bar", "--version", "3.0.0", "--environment", "production")
	for _, cli := range []e2eCLI{pact, ours} {
		r := cli.run(t, s, "can-i-deploy", ask...)
		if r.code != 1 || !strings.Contains(r.combined(), "Computer says no") ||
			!strings.Contains(r.combined(), "The verification for the pact between version 1.0.0 of Foo and the version of Bar currently in production (3.0.0) failed") {
			t.Fatalf("%s: a failed verification must exit 1 (exit %d):\n%s", cli.name, r.code, r.combined())
		}
	}
	// The provider may be deployed first where the consumer is absent.
	for _, cli := range []e2eCLI{pact, ours} {
		cli.ok(t, s, []string{"Computer says yes"}, "can-i-deploy", "--pacticipant", "Bar", "--version", "3.0.0", "--to-environment", "test")
	}
}

// publishResult publishes a verification result of Foo 1.0.0's pact by the
// given Bar version, through the link the pact resource advertises.
func publishResult(t *testing.T, s *e2eServer, providerVersion string, success bool) {
	t.Helper()
	_, pact := s.getJSON(t, "/pacts/provider/Bar/consumer/Foo/version/1.0.0")
	href := e2eStr(pact, "_links", "pb:publish-verification-results", "href")
	body, _ := json.Marshal(map[string]any{"providerApplicationVersion": providerVersion, "success": success})
	res, err := http.Post(href, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("publish verification: %d", res.StatusCode)
	}
}
