package openapicompare

import (
	"testing"
)

const bodyOAS = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/NewPet"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/NewPet"}}
          text/plain: {schema: {type: string}}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
        default:
          description: error
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
  /closed:
    put:
      requestBody:
        content:
          application/json:
            schema: {type: object, additionalProperties: false, properties: {a: {type: string}}}
      responses: {"204": {description: ok}}
components:
  schemas:
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, format: int32, minimum: 0, exclusiveMinimum: true}
    Pet:
      allOf:
        - $ref: "#/components/schemas/NewPet"
        - type: object
          required: [id]
          properties:
            id: {type: integer, format: int64}
            born: {type: string, format: date-time}
            owner: {type: object, nullable: true, properties: {name: {type: string}}}
            kind: {$ref: "#/components/schemas/Kind"}
    Kind:
      oneOf:
        - {$ref: "#/components/schemas/Dog"}
        - {$ref: "#/components/schemas/Cat"}
      discriminator: {propertyName: type}
    Dog:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [dog]}, barks: {type: boolean}}
    Cat:
      type: object
      required: [type]
      properties: {type: {type: string, const: cat}, hunts: {type: boolean}}
    Error:
      type: object
      properties: {message: {type: string}}
`

func TestRequestBody(t *testing.T) {
	post := func(headers, body string) string {
		return ia(`{"method":"POST","path":"/pets","headers":`+headers+`,"body":`+body+`}`, `{"status":201}`)
	}
	json := `{"Content-Type":"application/json"}`
	incompatible := "request.body.incompatible/error"
	runRuleCases(t, []ruleCase{
		{"valid body", bodyOAS, post(json, `{"name":"Rex","age":2}`), nil},
		{"additional properties are allowed in requests", bodyOAS, post(json, `{"name":"Rex","colour":"red"}`), nil},
		{"required is enforced in requests", bodyOAS, post(json, `{"age":2}`), []string{incompatible}},
		{"no coercion for bodies", bodyOAS, post(json, `{"name":"Rex","age":"2"}`), []string{incompatible}},
		{"boolean exclusiveMinimum of OAS 3.0", bodyOAS, post(json, `{"name":"Rex","age":0}`), []string{incompatible}},
		{"int32 format is not enforced", bodyOAS, post(json, `{"name":"Rex","age":99999999999}`), nil},
		{"required body missing", bodyOAS,
			ia(`{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"}}`, `{"status":201}`), []string{incompatible}},
		{"form body parsed then validated", bodyOAS,
			post(`{"Content-Type":"application/x-www-form-urlencoded"}`, `"age=2"`), []string{incompatible}},
		{"valid form body", bodyOAS, post(`{"Content-Type":"application/x-www-form-urlencoded"}`, `"name=Rex"`), nil},
		{"text body cannot be validated", bodyOAS, post(`{"Content-Type":"text/plain"}`, `"hello"`),
			[]string{"request.body.unvalidatable/warning"}},
		{"negative scenario skips the body", bodyOAS,
			ia(`{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"},"body":{"age":"x"}}`, `{"status":422,"body":{"message":"no"}}`),
			[]string{"response.status.default/warning"}},
		{"closed request schema rejects extra properties", bodyOAS,
			ia(`{"method":"PUT","path":"/closed","headers":{"Content-Type":"application/json"},"body":{"a":"x","b":"y"}}`, `{"status":204}`),
			[]string{incompatible}},
		{"optional body may be absent", bodyOAS, ia(`{"method":"PUT","path":"/closed"}`, `{"status":204}`), nil},
	})
}

func TestResponseBody(t *testing.T) {
	created := func(body string) string {
		return ia(`{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"},"body":{"name":"Rex"}}`,
			`{"status":201,"headers":{"Content-Type":"application/json"},"body":`+body+`}`)
	}
	incompatible := "response.body.incompatible/error"
	runRuleCases(t, []ruleCase{
		{"subset of the allOf union, required ignored", bodyOAS, created(`{"id":1}`), nil},
		{"every allOf member's properties are known", bodyOAS, created(`{"id":1,"name":"Rex","age":3}`), nil},
		{"undeclared property in a response", bodyOAS, created(`{"id":1,"colour":"red"}`), []string{incompatible}},
		{"wrong type", bodyOAS, created(`{"id":"one"}`), []string{incompatible}},
		{"date-time format is enforced", bodyOAS, created(`{"born":"yesterday"}`), []string{incompatible}},
		{"nullable object accepts null", bodyOAS, created(`{"owner":null}`), nil},
		{"discriminator selects the branch", bodyOAS, created(`{"kind":{"type":"cat","hunts":true}}`), nil},
		{"discriminator branch is closed", bodyOAS, created(`{"kind":{"type":"dog","hunts":true}}`), []string{incompatible}},
		{"discriminator value not in oneOf", bodyOAS, created(`{"kind":{"type":"fish"}}`), []string{incompatible}},
		{"discriminator tag missing", bodyOAS, created(`{"kind":{"barks":true}}`), []string{incompatible, incompatible}},
		{"no body in the pact: nothing to validate", bodyOAS,
			ia(`{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"},"body":{"name":"Rex"}}`, `{"status":201}`), nil},
		{"default response is a warning and still validated", bodyOAS,
			ia(`{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"},"body":{"name":"Rex"}}`,
				`{"status":500,"headers":{"Content-Type":"application/json"},"body":{"message":"x","code":1}}`),
			[]string{"response.status.default/warning", incompatible}},
	})
}

func TestResponseBodyMessage(t *testing.T) {
	out := compareOne(t, bodyOAS, ia(`{"method":"POST","path":"/pets","headers":{"Content-Type":"application/json"},"body":{"name":"Rex"}}`,
		`{"status":201,"headers":{"Content-Type":"application/json"},"body":{"id":1,"colour":"red"}}`))
	if len(out.Mismatches) != 1 {
		t.Fatalf("want one mismatch, got %s", describe(out.Mismatches))
	}
	m := out.Mismatches[0]
	if m.Message != "Response body is incompatible with the response body schema in the spec file: must NOT have additional properties - colour" ||
		m.PactLocation != "[root].interactions[0].response.body" || m.Interaction != "d" || m.State != "[none]" {
		t.Errorf("unexpected mismatch %+v", m)
	}
}

// TestSharedComponentTransformsDoNotLeak: closing Pet for the response must
// not make the same component closed (or optional) for the request.
func TestSharedComponentTransformsDoNotLeak(t *testing.T) {
	oas := `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
components:
  schemas:
    Thing: {type: object, required: [a], properties: {a: {type: string}}}
`
	both := ia(`{"method":"POST","path":"/things","headers":{"Content-Type":"application/json"},"body":{"a":"x","extra":1}}`,
		`{"status":200,"headers":{"Content-Type":"application/json"},"body":{}}`)
	cmp := New()
	for i := 0; i < 2; i++ { // second run uses the cached, compiled schemas
		out := compareWith(t, cmp, oas, both)
		if len(out.Mismatches) != 0 {
			t.Fatalf("run %d: want no mismatch, got %s", i, describe(out.Mismatches))
		}
		out = compareWith(t, cmp, oas, ia(`{"method":"POST","path":"/things","headers":{"Content-Type":"application/json"},"body":{}}`,
			`{"status":200,"headers":{"Content-Type":"application/json"},"body":{"a":"x","extra":1}}`))
		if got := codes(out); len(got) != 2 {
			t.Fatalf("run %d: want request required + response additional property, got %s", i, describe(out.Mismatches))
		}
	}
}

func TestCircularSchemas(t *testing.T) {
	oas := `
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /tree:
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
`
	runRuleCases(t, []ruleCase{
		{"recursive valid", oas, ia(`{"method":"GET","path":"/tree"}`,
			`{"status":200,"body":{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}}`), nil},
		{"recursive with an extra property deep down", oas, ia(`{"method":"GET","path":"/tree"}`,
			`{"status":200,"body":{"name":"a","children":[{"name":"b","children":[{"name":"c","x":1}]}]}}`),
			[]string{"response.body.incompatible/error"}},
	})
}
