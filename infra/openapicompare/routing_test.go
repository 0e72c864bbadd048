package openapicompare

import "testing"

const routingOAS = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{petId}:
    get:
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      responses: {"200": {description: ok}}
  /pets/mine:
    get:
      responses: {"204": {description: ok}}
  /tags/{tags}:
    get:
      parameters:
        - {name: tags, in: path, required: true, schema: {type: array, items: {type: integer}}}
      responses: {"200": {description: ok}}
`

func TestRouting(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"templated path with a coerced integer parameter", routingOAS,
			ia(`{"method":"GET","path":"/pets/10"}`, `{"status":200}`), nil},
		{"static segment beats the template", routingOAS,
			ia(`{"method":"GET","path":"/pets/mine"}`, `{"status":204}`), nil},
		{"path parameter violating its schema is an unknown path", routingOAS,
			ia(`{"method":"GET","path":"/pets/abc"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}},
		{"unknown method", routingOAS,
			ia(`{"method":"DELETE","path":"/pets/10"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}},
		{"lower-case method is accepted", routingOAS,
			ia(`{"method":"get","path":"/pets/10"}`, `{"status":200}`), nil},
		{"unknown path", routingOAS,
			ia(`{"method":"GET","path":"/owners"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}},
		{"trailing slash is a different path", routingOAS,
			ia(`{"method":"GET","path":"/pets/mine/"}`, `{"status":204}`),
			[]string{"request.path-or-method.unknown/error"}},
		{"query in the path is rejected", routingOAS,
			ia(`{"method":"GET","path":"/pets/10?x=1"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}},
		{"path without leading slash", routingOAS,
			ia(`{"method":"GET","path":"pets/10"}`, `{"status":200}`), nil},
		{"array path parameter split on commas", routingOAS,
			ia(`{"method":"GET","path":"/tags/1,2,3"}`, `{"status":200}`), nil},
		{"array path parameter item violating its schema", routingOAS,
			ia(`{"method":"GET","path":"/tags/1,x"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}},
		{"percent-encoded parameter is decoded", routingOAS,
			ia(`{"method":"GET","path":"/pets/%31%30"}`, `{"status":200}`), nil},
	})
}

func TestRoutingBasePaths(t *testing.T) {
	swagger := `{"swagger":"2.0","info":{"title":"t","version":"1"},"basePath":"/api/v1",
		"paths":{"/things":{"get":{"responses":{"200":{"description":"ok"}}}}}}`
	withOPCBase := `
openapi: 3.1.0
info: {title: t, version: "1", x-opc-config-base-path: /base}
servers: [{url: "https://example.com/ignored"}]
paths:
  /things:
    get:
      responses: {"200": {description: ok}}
`
	runRuleCases(t, []ruleCase{
		{"swagger basePath is prefixed", swagger, ia(`{"method":"GET","path":"/api/v1/things"}`, `{"status":200}`), nil},
		{"swagger path without basePath is unknown", swagger, ia(`{"method":"GET","path":"/things"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}},
		{"x-opc-config-base-path is prefixed", withOPCBase, ia(`{"method":"GET","path":"/base/things"}`, `{"status":200}`), nil},
		{"servers are ignored", withOPCBase, ia(`{"method":"GET","path":"/ignored/things"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}},
	})
}

func TestRoutingMessageNamesTheRequest(t *testing.T) {
	out := compareOne(t, routingOAS, ia(`{"method":"POST","path":"/owners"}`, `{"status":200}`))
	if len(out.Mismatches) != 1 {
		t.Fatalf("want one mismatch, got %v", codes(out))
	}
	m := out.Mismatches[0]
	if m.Message != "Path or method not defined in spec file: POST /owners" ||
		m.PactLocation != "[root].interactions[0].request.path" || string(m.PactValue) != `"/owners"` {
		t.Errorf("unexpected mismatch %+v", m)
	}
}
