package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// fakeComparator fails a contract that contains "x-incompatible" with one
// mismatch, passes every other, and counts its calls.
type fakeComparator struct{ calls atomic.Int64 }

func (f *fakeComparator) Compare(_ context.Context, in domain.ComparisonInput) (domain.ComparisonOutcome, error) {
	f.calls.Add(1)
	if bytes.Contains(in.Contract, []byte("x-incompatible")) {
		return domain.ComparisonOutcome{Engine: "fake/1", Mismatches: []domain.Mismatch{{
			Code: "response.status.unknown", Type: domain.MismatchError, Message: "Response status code not defined in spec file: 200",
			Interaction: "a request for the hello", PactLocation: "[root].interactions[0].response.status", PactValue: json.RawMessage("200"),
			SpecLocation: "[root].paths./hello.get.responses", SpecPathName: "/hello", SpecPathMethod: "get"}}}, nil
	}
	return domain.ComparisonOutcome{Success: true, Engine: "fake/1"}, nil
}

type bdctBroker struct {
	t   *testing.T
	app *app.App
	url string
}

func startBDCT(t *testing.T, store events.Store, cmp domain.ContractComparator) *bdctBroker {
	t.Helper()
	a := app.Start(store, app.Options{Comparator: cmp})
	if err := a.Runner.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Commands.SeedEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &bdctBroker{t: t, app: a, url: srv.URL}
}

func (b *bdctBroker) do(method, path string, body any) (int, map[string]any) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, b.url+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func (b *bdctBroker) must(status int, method, path string, body any) map[string]any {
	b.t.Helper()
	got, out := b.do(method, path, body)
	if got != status {
		b.t.Fatalf("%s %s: %d, want %d: %v", method, path, got, status, out)
	}
	return out
}

const openAPI = "openapi: 3.0.0\ninfo: {title: Bar, version: '1'}\npaths:\n  /hello:\n    get:\n      responses:\n        '200': {description: ok}\n"

func (b *bdctBroker) publishContract(version, branch, content string, selfVerified bool) map[string]any {
	body := map[string]any{"pacticipantVersionNumber": version, "branch": nil, "tags": []string{}, "buildUrl": nil,
		"contract": map[string]any{"content": base64.StdEncoding.EncodeToString([]byte(content)), "contentType": "application/yaml",
			"specification": "oas", "selfVerificationResults": map[string]any{"success": selfVerified,
				"content": base64.StdEncoding.EncodeToString([]byte("all passed")), "format": "text", "verifier": "dredd"}}}
	if branch != "" {
		body["branch"] = branch
	}
	return b.must(200, "POST", "/provider-contracts/provider/Bar/publish", body)
}

func (b *bdctBroker) publishPact(version string) {
	pact := `{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},"interactions":[{"description":"a request for the hello",` +
		`"request":{"method":"GET","path":"/hello"},"response":{"status":200}}],"metadata":{"pactSpecification":{"version":"2.0.0"}}}`
	b.must(200, "POST", "/contracts/publish", map[string]any{"pacticipantName": "Foo", "pacticipantVersionNumber": version,
		"contracts": []any{map[string]any{"consumerName": "Foo", "providerName": "Bar", "specification": "pact",
			"contentType": "application/json", "content": base64.StdEncoding.EncodeToString([]byte(pact))}}})
}

func (b *bdctBroker) deploy(p, v, env string) {
	_, list := b.do("GET", "/environments?name="+env, nil)
	envs := list["_embedded"].(map[string]any)["environments"].([]any)
	uuid := envs[0].(map[string]any)["uuid"].(string)
	b.must(201, "POST", "/pacticipants/"+p+"/versions/"+v+"/deployed-versions/environment/"+uuid, map[string]any{})
}

// canIDeploy returns summary.deployable ("true", "false" or "null") and the reason.
func (b *bdctBroker) canIDeploy(query string) (string, string) {
	b.t.Helper()
	out := b.must(200, "GET", "/can-i-deploy?"+query, nil)
	s := out["summary"].(map[string]any)
	d, _ := json.Marshal(s["deployable"])
	reason, _ := s["reason"].(string)
	return string(d), reason
}

// until polls can-i-deploy until it is decided, as a pipeline with
// --retry-while-unknown does; it fails the test after many polls.
func (b *bdctBroker) until(query string) (string, string) {
	b.t.Helper()
	for range 500 {
		if d, reason := b.canIDeploy(query); d != "null" {
			return d, reason
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.t.Fatalf("can-i-deploy %s stayed unknown", query)
	return "", ""
}

func TestBidirectionalContractsThroughTheAPI(t *testing.T) {
	store, cmp := memstore.New(), &fakeComparator{}
	b := startBDCT(t, store, cmp)

	res := b.publishContract("2.0.0", "main", openAPI, true)
	if res["_embedded"].(map[string]any)["version"].(map[string]any)["number"] != "2.0.0" || res["notices"] == nil ||
		res["_links"].(map[string]any)["pb:pacticipant-version-tags"] == nil {
		t.Fatalf("publication response lacks what the official CLI reads: %v", res)
	}
	b.deploy("Bar", "2.0.0", "production")
	b.publishPact("1.0.0") // pre-generation: Bar 2.0.0 is deployed and the head of main

	q := "pacticipant=Foo&version=1.0.0&environment=production"
	if d, reason := b.until(q); d != "true" {
		t.Fatalf("compatible pair: deployable %s: %s", d, reason)
	}
	if n := cmp.calls.Load(); n != 1 {
		t.Fatalf("%d comparisons, want 1", n)
	}

	// An incompatible contract deployed to test fails, naming the comparison.
	b.publishContract("3.0.0", "", openAPI+"x-incompatible: true\n", true)
	b.deploy("Bar", "3.0.0", "test")
	d, reason := b.until("pacticipant=Foo&version=1.0.0&environment=test")
	if d != "false" || !strings.Contains(reason, "is not compatible with the OpenAPI contract") {
		t.Fatalf("incompatible pair: deployable %s: %s", d, reason)
	}
	// The provider version alone: its contract's comparisons are its rows.
	asProvider := b.must(200, "GET", "/matrix?q[][pacticipant]=Bar&q[][version]=3.0.0&latestby=cvpv", nil)
	if rows := asProvider["matrix"].([]any); len(rows) != 1 || rows[0].(map[string]any)["verificationResult"].(map[string]any)["success"] != false {
		t.Fatalf("matrix of Bar 3.0.0: %v", asProvider["matrix"])
	}
	pact := b.app.Contracts.PactsOfConsumerVersion("Foo", "1.0.0")[0]
	out := b.must(200, "GET", "/contracts/provider/Bar/version/3.0.0/consumer/Foo/pact-version/"+pact.SHA+"/verification-results", nil)
	errs := out["crossContractVerificationResults"].(map[string]any)["results"].(map[string]any)["errors"].([]any)
	desc, _ := errs[0].(map[string]any)["description"].(string)
	if len(errs) != 1 || !strings.Contains(desc, `interaction "a request for the hello"`) || !strings.Contains(desc, "the pact expects: 200") {
		t.Fatalf("readable mismatch: %v", errs)
	}

	// On demand: a version that is neither deployed nor on a branch is
	// compared when can-i-deploy first needs it; until then it is unknown.
	b.publishContract("4.0.0", "", openAPI+"# another revision\n", true) // new content: the 2.0.0 result cannot be reused
	matrixQ := "q[][pacticipant]=Foo&q[][version]=1.0.0&q[][pacticipant]=Bar&q[][version]=4.0.0&latestby=cvpv"
	first := b.must(200, "GET", "/matrix?"+matrixQ, nil)["summary"].(map[string]any)
	if first["deployable"] != nil || !strings.Contains(first["reason"].(string), "is in progress") {
		t.Fatalf("first answer for a never-compared pair: %v", first)
	}
	for i := 0; ; i++ {
		s := b.must(200, "GET", "/matrix?"+matrixQ, nil)["summary"].(map[string]any)
		if s["deployable"] == true {
			break
		}
		if i == 500 {
			t.Fatalf("on-demand comparison never completed: %v", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
	calls := cmp.calls.Load()

	// Restart over the same log: results are replayed, never recomputed.
	b.app.Close()
	again := &fakeComparator{}
	b2 := startBDCT(t, store, again)
	if d, _ := b2.canIDeploy(q); d != "true" {
		t.Fatalf("after restart: deployable %s", d)
	}
	if d, _ := b2.canIDeploy("pacticipant=Foo&version=1.0.0&environment=test"); d != "false" {
		t.Fatalf("after restart, incompatible: deployable %s", d)
	}
	time.Sleep(50 * time.Millisecond) // give a wrongly re-planning pool the chance to run
	if n := again.calls.Load(); n != 0 || calls != 3 {
		t.Fatalf("comparisons: %d before restart (want 3), %d after (want 0)", calls, n)
	}

	// A verification result published by the same provider version takes
	// precedence over its comparison.
	b2.must(201, "POST", "/pacts/provider/Bar/consumer/Foo/pact-version/"+pact.SHA+"/verification-results",
		map[string]any{"providerApplicationVersion": "3.0.0", "success": true})
	if d, reason := b2.canIDeploy("pacticipant=Foo&version=1.0.0&environment=test"); d != "true" {
		t.Fatalf("verified by the provider version: deployable %s: %s", d, reason)
	}
}

func TestProviderContractBadInputIsRefusedAndWritesNothing(t *testing.T) {
	b := startBDCT(t, memstore.New(), &fakeComparator{})
	head := b.app.Runner.Position()
	cases := []map[string]any{
		{"pacticipantVersionNumber": "1", "contract": map[string]any{"content": "bm90IG9wZW5hcGk=", "specification": "oas"}},
		{"pacticipantVersionNumber": "1", "contract": map[string]any{"content": base64.StdEncoding.EncodeToString([]byte(openAPI)), "specification": "asyncapi"}},
		{"pacticipantVersionNumber": " ", "contract": map[string]any{"content": base64.StdEncoding.EncodeToString([]byte(openAPI))}},
		{"pacticipantVersionNumber": "1"},
		{"pacticipantVersionNumber": "1", "contract": map[string]any{"content": "{not: [valid"}},
	}
	for i, body := range cases {
		status, out := b.do("POST", "/provider-contracts/provider/Bar/publish", body)
		if status != 400 || out["errors"] == nil {
			t.Errorf("case %d: %d %v, want 400 with errors", i, status, out)
		}
	}
	if b.app.Runner.Position() != head {
		t.Fatal("a refused publication wrote events")
	}
	// The same document sent as plain YAML (not base64) is accepted.
	b.must(200, "POST", "/provider-contracts/provider/Bar/publish", map[string]any{"pacticipantVersionNumber": "1",
		"contract": map[string]any{"content": openAPI, "specification": "oas"}})
	// The legacy API stores it too.
	b.must(201, "PUT", "/contracts/provider/Bar/version/2", map[string]any{"content": base64.StdEncoding.EncodeToString([]byte(openAPI)),
		"contractType": "oas", "contentType": "application/yaml", "verificationResults": map[string]any{"success": true}})
	got := b.must(200, "GET", "/provider-contracts/provider/Bar/version/2", nil)
	if got["content"] != openAPI || got["selfVerificationResults"].(map[string]any)["success"] != true {
		t.Fatalf("legacy contract: %v", got)
	}
	index := b.must(200, "GET", "/", nil)["_links"].(map[string]any)
	if link, _ := index["pf:publish-provider-contract"].(map[string]any); !strings.HasSuffix(link["href"].(string), "/provider-contracts/provider/{provider}/publish") {
		t.Fatalf("index relation: %v", link)
	}
}
