package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestE2EWebhooksOfficialCLI drives the webhook API of a real `pactledger
// serve` with the official CLI's create-webhook, create-or-update-webhook,
// test-webhook and delete-webhook. The server's allow-lists (flags) let
// webhooks call a receiver on loopback over plain http.
func TestE2EWebhooksOfficialCLI(t *testing.T) {
	official := officialCLI(t)
	bin := e2eBuild(t)
	var mu sync.Mutex
	var received []*http.Request
	var bodies []string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		mu.Lock()
		received, bodies = append(received, r), append(bodies, string(raw))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"thanks":true}`)
	}))
	defer recv.Close()
	s := e2eStart(t, bin, "--webhook-scheme-allow-list", "http https",
		"--webhook-host-allow-list", "127.0.0.1", "--webhook-method-allow-list", "POST,PUT")
	cli := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}
	for _, name := range []string{"Foo", "Bar"} {
		e2ePostJSON(t, s, "/pacticipants", `{"name":"`+name+`"}`, http.StatusCreated)
	}

	hookURL := recv.URL + "/hooks/${pactbroker.consumerName}"
	out := cli.ok(t, s, []string{`"password":"**********"`, `"description":"e2e hook"`}, "create-webhook", hookURL,
		"-X", "POST", "-d", `{"pact":"${pactbroker.pactUrl}"}`, "--user", "ci:s3cret",
		"--consumer", "Foo", "--provider", "Bar", "--description", "e2e hook",
		"--contract-content-changed", "--provider-verification-published",
		"-H", "Content-Type: application/json", "X-Source: e2e")
	if strings.Contains(out, "s3cret") {
		t.Fatalf("create-webhook printed the password:\n%s", out)
	}
	m := regexp.MustCompile(`"uuid":"([A-Za-z0-9_-]+)"`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("create-webhook printed no uuid:\n%s", out)
	}
	created := m[1]
	if status, v := s.getJSON(t, "/webhooks/"+created); status != http.StatusOK || e2eStr(v, "consumer", "name") != "Foo" ||
		e2eStr(v, "provider", "name") != "Bar" || len(e2eList(v, "events")) != 2 || e2eStr(v, "request", "headers", "X-Source") != "e2e" {
		t.Fatalf("GET /webhooks/%s: %d %v", created, status, v)
	}

	// create-or-update-webhook: PUT to an unknown uuid creates, then updates.
	const chosen = "e2e-webhook-uuid-0001"
	cli.ok(t, s, []string{`"uuid":"` + chosen + `"`}, "create-or-update-webhook", recv.URL+"/put", "--uuid", chosen,
		"-X", "PUT", "--description", "first", "--contract-published")
	cli.ok(t, s, []string{`"description":"second"`}, "create-or-update-webhook", recv.URL+"/put", "--uuid", chosen,
		"-X", "POST", "--description", "second", "--contract-published")
	if status, v := s.getJSON(t, "/webhooks/"+chosen); status != http.StatusOK || e2eStr(v, "request", "method") != "POST" ||
		e2eStr(v, "updatedAt") == "" {
		t.Fatalf("GET /webhooks/%s after the update: %d %v", chosen, status, v)
	}
	if status, v := s.getJSON(t, "/webhooks"); status != http.StatusOK || len(e2eList(v, "_links", "pb:webhooks")) != 2 {
		t.Fatalf("GET /webhooks: %d %v", status, v)
	}

	// test-webhook sends the rendered request to the receiver.
	out = cli.ok(t, s, []string{`"success":true`, `"thanks":true`}, "test-webhook", "--uuid", created)
	if strings.Contains(out, "s3cret") {
		t.Fatalf("test-webhook printed the password:\n%s", out)
	}
	mu.Lock()
	if len(received) != 1 {
		mu.Unlock()
		t.Fatalf("the receiver got %d requests", len(received))
	}
	got, body := received[0], bodies[0]
	mu.Unlock()
	user, pass, _ := got.BasicAuth()
	if got.URL.Path != "/hooks/Foo" || user != "ci" || pass != "s3cret" || got.Header.Get("X-Source") != "e2e" ||
		!strings.Contains(body, s.URL+"/pacts/provider/Bar/consumer/Foo/pact-version/") {
		t.Fatalf("the receiver got %s %s %v %s", got.Method, got.URL, got.Header, body)
	}

	cli.ok(t, s, []string{"Webhook with UUID " + created + " successfully deleted"}, "delete-webhook", "--uuid", created)
	if status, _ := s.getJSON(t, "/webhooks/"+created); status != http.StatusNotFound {
		t.Fatalf("GET a deleted webhook: %d", status)
	}
	cli.ok(t, s, []string{"Webhook with UUID " + created + " was not found"}, "delete-webhook", "--uuid", created)

	// A host outside the allow-list is refused when the webhook is defined.
	r := cli.run(t, s, "create-webhook", "https://elsewhere.example.com/hook", "-X", "POST", "--contract-published")
	if r.code == 0 || !strings.Contains(r.combined(), "host must be in the whitelist") {
		t.Fatalf("create-webhook to a host outside the allow-list: exit %d\n%s", r.code, r.combined())
	}
}

// e2ePostJSON posts a JSON body to the server and requires a status.
func e2ePostJSON(t *testing.T, s *e2eServer, path, body string, status int) {
	t.Helper()
	resp, err := http.Post(s.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != status {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s: %d, want %d: %s", path, resp.StatusCode, status, raw)
	}
}
