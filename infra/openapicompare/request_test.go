package openapicompare

import (
	"strings"
	"testing"
)

const securityOAS = `
openapi: 3.1.0
info: {title: t, version: "1"}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Api-Key}
    queryKey: {type: apiKey, in: query, name: token}
    cookieKey: {type: apiKey, in: cookie, name: session}
    oauth: {type: oauth2, flows: {}}
security: [{basic: []}]
paths:
  /global:
    get: {responses: {"200": {description: ok}, "401": {description: no}}}
  /bearer:
    get: {security: [{bearer: []}], responses: {"200": {description: ok}}}
  /either:
    get: {security: [{key: []}, {queryKey: []}], responses: {"200": {description: ok}}}
  /optional:
    get: {security: [{key: []}, {}], responses: {"200": {description: ok}}}
  /unchecked:
    get: {security: [{cookieKey: []}, {oauth: []}], responses: {"200": {description: ok}}}
  /open:
    get: {security: [], responses: {"200": {description: ok}}}
`

func TestSecurity(t *testing.T) {
	missing := []string{"request.authorization.missing/error"}
	runRuleCases(t, []ruleCase{
		{"global basic satisfied", securityOAS, ia(`{"method":"GET","path":"/global","headers":{"Authorization":"Basic dTpw"}}`, `{"status":200}`), nil},
		{"global basic missing", securityOAS, ia(`{"method":"GET","path":"/global"}`, `{"status":200}`), missing},
		{"basic with a bearer token is not basic", securityOAS,
			ia(`{"method":"GET","path":"/global","headers":{"Authorization":"Bearer x"}}`, `{"status":200}`), missing},
		{"negative scenario skips security", securityOAS, ia(`{"method":"GET","path":"/global"}`, `{"status":401}`), nil},
		{"operation security overrides the global one", securityOAS,
			ia(`{"method":"GET","path":"/bearer","headers":{"authorization":"bearer abc"}}`, `{"status":200}`), nil},
		{"bearer missing", securityOAS, ia(`{"method":"GET","path":"/bearer"}`, `{"status":200}`), missing},
		{"alternatives: the query key suffices", securityOAS, ia(`{"method":"GET","path":"/either","query":"token=t"}`, `{"status":200}`), nil},
		{"alternatives: the header key suffices and is not an unknown header", securityOAS,
			ia(`{"method":"GET","path":"/either","headers":{"x-api-key":"k"}}`, `{"status":200}`), nil},
		{"alternatives: neither gives one mismatch per alternative", securityOAS,
			ia(`{"method":"GET","path":"/either"}`, `{"status":200}`), []string{missing[0], missing[0]}},
		{"empty requirement makes security optional", securityOAS, ia(`{"method":"GET","path":"/optional"}`, `{"status":200}`), nil},
		{"cookie apiKey and oauth2 are accepted unchecked", securityOAS, ia(`{"method":"GET","path":"/unchecked"}`, `{"status":200}`), nil},
		{"security: [] disables the global requirement", securityOAS, ia(`{"method":"GET","path":"/open"}`, `{"status":200}`), nil},
	})
}

func TestSecurityPresenceOnlyFlag(t *testing.T) {
	oas := strings.Replace(securityOAS, `info: {title: t, version: "1"}`,
		`info: {title: t, version: "1", x-opc-config-no-authorization-schema: true}`, 1)
	runRuleCases(t, []ruleCase{
		{"any Authorization header satisfies basic", oas,
			ia(`{"method":"GET","path":"/global","headers":{"Authorization":"Bearer x"}}`, `{"status":200}`), nil},
	})
}

const headersOAS = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      parameters:
        - {name: X-Version, in: header, required: true, schema: {type: integer, minimum: 1}}
        - {name: X-Tags, in: header, schema: {type: array, items: {type: string}, maxItems: 2}}
        - {name: X-Mode, in: header, schema: {type: string, enum: [fast, slow]}}
      requestBody:
        content:
          application/json: {schema: {type: object}}
          application/vnd.api+json: {schema: {type: object}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object}}}
        "400": {description: bad}
  /nothing:
    get:
      responses: {"204": {description: none}}
`

func TestRequestHeaders(t *testing.T) {
	post := func(headers string) string {
		return ia(`{"method":"POST","path":"/things","headers":`+headers+`,"body":{}}`, `{"status":200}`)
	}
	incompatible := "request.header.incompatible/error"
	runRuleCases(t, []ruleCase{
		{"declared header coerced from a string", headersOAS, post(`{"X-Version":"2","Content-Type":"application/json"}`), nil},
		{"declared header violating minimum", headersOAS, post(`{"X-Version":"0","Content-Type":"application/json"}`), []string{incompatible}},
		{"declared header not a number", headersOAS, post(`{"X-Version":"two","Content-Type":"application/json"}`), []string{incompatible}},
		{"required header missing", headersOAS, post(`{"Content-Type":"application/json"}`), []string{incompatible}},
		{"array header split on commas", headersOAS, post(`{"X-Version":"1","X-Tags":"a,b","Content-Type":"application/json"}`), nil},
		{"array header with too many items", headersOAS, post(`{"X-Version":"1","X-Tags":"a,b,c","Content-Type":"application/json"}`), []string{incompatible}},
		{"enum header", headersOAS, post(`{"X-Version":"1","X-Mode":"medium","Content-Type":"application/json"}`), []string{incompatible}},
		{"header names are case-insensitive", headersOAS, post(`{"x-version":"1","content-type":"application/json"}`), nil},
		{"unknown header is a warning", headersOAS, post(`{"X-Version":"1","X-Trace":"abc","Content-Type":"application/json"}`),
			[]string{"request.header.unknown/warning"}},
		{"standard headers are never unknown", headersOAS,
			post(`{"X-Version":"1","User-Agent":"x","Cache-Control":"no-cache","Content-Type":"application/json"}`), nil},
		{"Content-Type with a suffix-compatible media type", headersOAS,
			post(`{"X-Version":"1","Content-Type":"application/vnd.api+json; charset=utf-8"}`), nil},
		{"Content-Type not consumed", headersOAS, post(`{"X-Version":"1","Content-Type":"text/plain"}`),
			[]string{"request.content-type.incompatible/error"}},
		{"body without Content-Type is a warning", headersOAS, post(`{"X-Version":"1"}`),
			[]string{"request.content-type.missing/warning"}},
		{"Accept matching a produced type", headersOAS, post(`{"X-Version":"1","Accept":"application/json","Content-Type":"application/json"}`), nil},
		{"Accept with wildcard and q values", headersOAS,
			post(`{"X-Version":"1","Accept":"text/html;q=0.9, */*;q=0.1","Content-Type":"application/json"}`), nil},
		{"Accept not produced", headersOAS, post(`{"X-Version":"1","Accept":"application/xml","Content-Type":"application/json"}`),
			[]string{"request.accept.incompatible/error"}},
		{"negative scenario skips header checks", headersOAS,
			ia(`{"method":"POST","path":"/things","headers":{"X-Version":"zero","X-Other":"1","Content-Type":"application/json"},"body":{}}`, `{"status":400}`), nil},
		{"Accept when nothing is produced", headersOAS,
			ia(`{"method":"GET","path":"/nothing","headers":{"Accept":"application/json"}}`, `{"status":204}`),
			[]string{"request.accept.unknown/warning"}},
		{"Content-Type when nothing is consumed", headersOAS,
			ia(`{"method":"GET","path":"/nothing","headers":{"Content-Type":"application/json"}}`, `{"status":204}`),
			[]string{"request.content-type.unknown/warning"}},
	})
}

const queryOAS = `
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /search:
    get:
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, minLength: 2}}
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
        - {name: exact, in: query, schema: {type: boolean}}
        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object, additionalProperties: false, properties: {size: {type: integer}}}}
      responses: {"200": {description: ok}, "400": {description: bad}}
`

func TestQuery(t *testing.T) {
	get := func(query string) string {
		return ia(`{"method":"GET","path":"/search","query":`+query+`}`, `{"status":200}`)
	}
	incompatible := "request.query.incompatible/error"
	runRuleCases(t, []ruleCase{
		{"string form", queryOAS, get(`"q=abc&page=2&exact=true"`), nil},
		{"map form", queryOAS, get(`{"q":["abc"],"page":["2"]}`), nil},
		{"integer coerced and checked", queryOAS, get(`"q=abc&page=0"`), []string{incompatible}},
		{"not a boolean", queryOAS, get(`"q=abc&exact=maybe"`), []string{incompatible}},
		{"required parameter missing", queryOAS, get(`"page=1"`), []string{incompatible}},
		{"string parameter keeps its commas", queryOAS, get(`"q=a,b"`), nil},
		{"array from repeated names", queryOAS, get(`"q=abc&ids=1&ids=2"`), nil},
		{"array from commas with a bad item", queryOAS, get(`"q=abc&ids=1,x"`), []string{incompatible}},
		{"array from a map with several values", queryOAS, get(`{"q":["abc"],"ids":["1","2"]}`), nil},
		{"deepObject", queryOAS, get(`"q=abc&filter[size]=3"`), nil},
		{"deepObject with an undeclared key", queryOAS, get(`"q=abc&filter[colour]=red"`), []string{incompatible}},
		{"percent-decoded values", queryOAS, get(`"q=a%20b"`), nil},
		{"unknown parameter is a warning", queryOAS, get(`"q=abc&debug=1"`), []string{"request.query.unknown/warning"}},
		{"negative scenario skips query checks", queryOAS,
			ia(`{"method":"GET","path":"/search","query":"page=x&debug=1"}`, `{"status":400}`), nil},
	})
}

func TestQueryMismatchDetails(t *testing.T) {
	out := compareOne(t, queryOAS, ia(`{"method":"GET","path":"/search","query":"q=abc&ids=1,x"}`, `{"status":200}`))
	if len(out.Mismatches) != 1 {
		t.Fatalf("want one mismatch, got %s", describe(out.Mismatches))
	}
	m := out.Mismatches[0]
	want := "Value is incompatible with the parameter defined in the spec file: must be integer"
	if m.Message != want || m.PactLocation != "[root].interactions[0].request.query.ids.1" || string(m.PactValue) != `"x"` ||
		m.SpecLocation != "[root].paths./search.get.parameters[2].schema.items.type" || m.SpecPathName != "/search" || m.SpecPathMethod != "get" {
		t.Errorf("unexpected mismatch %+v", m)
	}
}
