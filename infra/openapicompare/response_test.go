package openapicompare

import "testing"

const responseOAS = `
swagger: "2.0"
info: {title: t, version: "1"}
produces: [application/json]
paths:
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, type: integer}
      responses:
        "200":
          description: ok
          headers:
            X-Rate-Limit: {type: integer}
          schema: {$ref: "#/definitions/Item"}
        "404": {description: missing}
  /any:
    get:
      produces: [text/csv]
      responses:
        default: {description: anything}
definitions:
  Item:
    type: object
    properties:
      id: {type: integer}
`

func TestResponseStatusAndHeaders(t *testing.T) {
	get := func(response string) string { return ia(`{"method":"GET","path":"/items/1"}`, response) }
	runRuleCases(t, []ruleCase{
		{"declared status, header and body", responseOAS,
			get(`{"status":200,"headers":{"Content-Type":"application/json","X-Rate-Limit":"10"},"body":{"id":1}}`), nil},
		{"undeclared status", responseOAS, get(`{"status":500}`), []string{"response.status.unknown/error"}},
		{"declared header with a wrong value", responseOAS,
			get(`{"status":200,"headers":{"X-Rate-Limit":"many"}}`), []string{"response.header.incompatible/error"}},
		{"undeclared custom header is an error", responseOAS,
			get(`{"status":200,"headers":{"X-Colour":"red"}}`), []string{"response.header.unknown/error"}},
		{"undeclared standard header is a warning", responseOAS,
			get(`{"status":200,"headers":{"Cache-Control":"no-cache","ETag":"x"}}`),
			[]string{"response.header.undefined/warning", "response.header.undefined/warning"}},
		{"Content-Type not produced", responseOAS,
			get(`{"status":200,"headers":{"Content-Type":"text/html"},"body":"<p/>"}`), []string{"response.content-type.incompatible/error"}},
		{"Content-Type with parameters", responseOAS,
			get(`{"status":200,"headers":{"Content-Type":"application/json; charset=utf-8"},"body":{"id":1}}`), nil},
		{"body checked against the definitions", responseOAS,
			get(`{"status":200,"body":{"id":1,"name":"x"}}`), []string{"response.body.incompatible/error"}},
		{"swagger produces applies to responses without schema", responseOAS,
			get(`{"status":404,"headers":{"Content-Type":"application/json"}}`), nil},
		{"default response", responseOAS,
			ia(`{"method":"GET","path":"/any","headers":{"Accept":"text/csv"}}`, `{"status":200,"headers":{"Content-Type":"text/csv"},"body":"a,b"}`),
			[]string{"response.status.default/warning", "response.body.unvalidatable/warning"}},
	})
}

func TestPatternedStatusAndContentTypes(t *testing.T) {
	oas := `
openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
        "4XX": {description: client, content: {application/problem+json: {schema: {type: object, properties: {title: {type: string}}}}}}
        "204": {description: none}
`
	runRuleCases(t, []ruleCase{
		{"4XX pattern", oas, ia(`{"method":"GET","path":"/x"}`,
			`{"status":404,"headers":{"Content-Type":"application/problem+json"},"body":{"title":"no"}}`), nil},
		{"4XX pattern body is validated", oas, ia(`{"method":"GET","path":"/x"}`,
			`{"status":404,"headers":{"Content-Type":"application/problem+json"},"body":{"detail":"no"}}`),
			[]string{"response.body.incompatible/error"}},
		{"5xx has no pattern", oas, ia(`{"method":"GET","path":"/x"}`, `{"status":503}`), []string{"response.status.unknown/error"}},
		{"Content-Type on a response without content", oas, ia(`{"method":"GET","path":"/x"}`,
			`{"status":204,"headers":{"Content-Type":"application/json"}}`), []string{"response.content-type.unknown/warning"}},
		{"body for a response without content", oas, ia(`{"method":"GET","path":"/x"}`,
			`{"status":204,"body":{"a":"b"}}`), []string{"response.body.unknown/error"}},
	})
}
