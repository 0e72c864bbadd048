package openapicompare

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

const petOAS = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses:
        "201":
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: integer}}}}}
`

func TestV4PactBodies(t *testing.T) {
	v4 := func(reqBody, resBody string) []byte {
		return pactOf("4.0", `{"type":"Synchronous/HTTP","description":"create","providerStates":[{"name":"none yet"}],
			"request":{"method":"POST","path":"/pets","headers":{"Content-Type":["application/json"]},"body":`+reqBody+`},
			"response":{"status":201,"headers":{"Content-Type":["application/json"]},"body":`+resBody+`},
			"matchingRules":{"body":{"$.id":{"combine":"AND","matchers":[{"match":"type"}]}}}}`,
			`{"type":"Asynchronous/Messages","description":"event","contents":{"content":{"x":1}}}`,
			`{"type":"Synchronous/Messages","description":"rpc","request":{"contents":{"content":"x"}},"response":[]}`)
	}
	cases := []struct {
		name      string
		pact      []byte
		wantCodes int
	}{
		{"JSON-encoded string contents", v4(`{"content":"{\"name\":\"Rex\"}","contentType":"application/json","encoded":"JSON"}`,
			`{"content":{"id":1},"contentType":"application/json","encoded":false}`), 0},
		{"plain JSON contents", v4(`{"content":{"name":"Rex"},"contentType":"application/json"}`,
			`{"content":{"id":1,"extra":true},"contentType":"application/json","encoded":false}`), 1},
		{"request body missing a required property", v4(`{"content":{},"contentType":"application/json"}`,
			`{"content":{"id":1},"contentType":"application/json"}`), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := New().Compare(context.Background(), domain.ComparisonInput{Pact: c.pact, Contract: []byte(petOAS)})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Mismatches) != c.wantCodes {
				t.Fatalf("want %d mismatches (messages skipped, matching rules ignored), got %s", c.wantCodes, describe(out.Mismatches))
			}
			for _, m := range out.Mismatches {
				if m.Interaction != "create" || m.State != "none yet" {
					t.Errorf("mismatch not attributed to the HTTP interaction: %+v", m)
				}
			}
		})
	}
}

func TestMatchingRulesAreIgnored(t *testing.T) {
	// The example value is what is validated, whatever the matcher says.
	out := compareOne(t, petOAS, `{"description":"d","request":{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"},"body":{"name":"Rex"}},
		"response":{"status":201,"headers":{"Content-Type":"application/json"},"body":{"id":"1"},
		"matchingRules":{"body":{"$.id":{"matchers":[{"match":"integer"}]}}}}}`)
	if got := codes(out); len(got) != 1 || got[0] != "response.body.incompatible/error" {
		t.Fatalf("want the literal example to be validated, got %s", describe(out.Mismatches))
	}
}

func TestUnusableDocuments(t *testing.T) {
	goodPact := pactOf("3.0.0", ia(`{"method":"POST","path":"/pets","body":{"name":"x"}}`, `{"status":201}`))
	cases := []struct {
		name, code string
		pact, oas  []byte
	}{
		{"spec not JSON or YAML", "spec.unparsable", goodPact, []byte("{not: [valid")},
		{"spec without version", "spec.unparsable", goodPact, []byte(`{"info":{"title":"x"},"paths":{}}`)},
		{"spec with YAML anchors", "spec.unparsable", goodPact, []byte("openapi: 3.0.0\ninfo: &i {title: t, version: '1'}\nx-copy: *i\npaths: {}\n")},
		{"spec with a wrongly typed field", "spec.unparsable", goodPact, []byte(`{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":[]}`)},
		{"pact not JSON", "pact.unparsable", []byte("nope"), []byte(petOAS)},
		{"pact interaction without method", "pact.unparsable", pactOf("3.0.0", `{"description":"d","request":{"path":"/"},"response":{"status":200}}`), []byte(petOAS)},
		{"empty spec", "spec.unparsable", goodPact, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := New().Compare(context.Background(), domain.ComparisonInput{Pact: c.pact, Contract: c.oas})
			if err != nil {
				t.Fatalf("an unusable document must not be an error: %v", err)
			}
			if out.Success || len(out.Mismatches) != 1 || out.Mismatches[0].Code != c.code || out.Mismatches[0].Type != domain.MismatchError {
				t.Fatalf("want one %s error, got success=%v %s", c.code, out.Success, describe(out.Mismatches))
			}
			if !strings.Contains(out.Mismatches[0].Message, "could not be read") {
				t.Errorf("message does not explain: %q", out.Mismatches[0].Message)
			}
		})
	}
}

func TestEmptyAndMessageOnlyPactsAreCompatible(t *testing.T) {
	for name, pact := range map[string][]byte{
		"no interactions":  pactOf("3.0.0"),
		"V3 message pact":  []byte(`{"consumer":{"name":"c"},"provider":{"name":"p"},"messages":[{"description":"m","contents":{}}]}`),
		"only V4 messages": pactOf("4.0", `{"type":"Asynchronous/Messages","description":"m","contents":{"content":"x"}}`),
	} {
		out, err := New().Compare(context.Background(), domain.ComparisonInput{Pact: pact, Contract: []byte(petOAS)})
		if err != nil || !out.Success || len(out.Mismatches) != 0 || out.Engine != EngineName {
			t.Errorf("%s: want a clean success, got err=%v %+v", name, err, out)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Compare(ctx, domain.ComparisonInput{Pact: pactOf("3.0.0"), Contract: []byte(petOAS)}); err == nil {
		t.Fatal("want the context error")
	}
}

// TestConcurrentComparisonsShareTheCache runs many comparisons of the same
// and of different specs at once (run with -race); every result must be
// the same as a sequential one.
func TestConcurrentComparisonsShareTheCache(t *testing.T) {
	bad := pactOf("3.0.0", ia(`{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"},"body":{}}`,
		`{"status":201,"headers":{"Content-Type":"application/json"},"body":{"id":1,"x":2}}`))
	cmp := NewWithOptions(Options{CacheSize: 2})
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sha := []string{"a", "b", "c"}[i%3] // three specs, cache of two: evictions happen
			out, err := cmp.Compare(context.Background(), domain.ComparisonInput{Pact: bad, ContractSHA: sha, Contract: []byte(petOAS)})
			if err != nil || out.Success || len(out.Mismatches) != 2 {
				errs <- describe(out.Mismatches)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("unexpected outcome:\n%s", e)
	}
	if cmp.lru.Len() > 2 {
		t.Errorf("cache holds %d specs, bound is 2", cmp.lru.Len())
	}
}

// TestLargeGeneratedPact checks the benchmark's generated documents: clean,
// and one injected mistake gives exactly one mismatch.
func TestLargeGeneratedPact(t *testing.T) {
	oas, pact := largeSpec(20), largePact(100, 20)
	cmp := New()
	out, err := cmp.Compare(context.Background(), domain.ComparisonInput{Pact: pact, ContractSHA: "x", Contract: oas})
	if err != nil || !out.Success || len(out.Mismatches) != 0 {
		t.Fatalf("want a clean comparison, got %v %s", err, describe(out.Mismatches))
	}
	broken := strings.Replace(string(pact), `"status":"active"`, `"status":"lost"`, 1)
	out, err = cmp.Compare(context.Background(), domain.ComparisonInput{Pact: []byte(broken), ContractSHA: "x", Contract: oas})
	if err != nil || out.Success || len(out.Mismatches) != 1 {
		t.Fatalf("want one mismatch, got %v %s", err, describe(out.Mismatches))
	}
	if !strings.Contains(out.Mismatches[0].Message, "must be equal to one of the allowed values") {
		t.Errorf("unexpected message %q", out.Mismatches[0].Message)
	}
}
