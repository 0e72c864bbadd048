package openapicompare

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

const switchesOAS = `
openapi: 3.0.3
info: {title: t, version: "1"}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
  schemas:
    Owner: {type: object, properties: {name: {type: string}}}
paths:
  /secure:
    get: {security: [{basic: []}], responses: {"200": {description: ok}}}
  /filter:
    get:
      parameters:
        - {name: f, in: query, schema: {type: object, additionalProperties: false, properties: {size: {type: integer}}}}
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
      responses: {"200": {description: ok}}
  /upload:
    post:
      requestBody:
        content: {multipart/form-data: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses: {"200": {description: ok}}
  /form:
    post:
      requestBody:
        content: {application/x-www-form-urlencoded: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses: {"200": {description: ok}}
  /owner:
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Owner", nullable: true}}}
  /slash/:
    get: {responses: {"200": {description: ok}}}
`

// TestCompatibilitySwitches checks each OPC switch in both modes: OPC's
// defaults (all off) and PactFlow compatibility mode (all on, except
// case-insensitive), and that a document's info.x-opc-config-<name>
// overrides the mode.
func TestCompatibilitySwitches(t *testing.T) {
	multipart := `{"method":"POST","path":"/upload","headers":{"Content-Type":"multipart/form-data; boundary=XX"},` +
		`"body":"--XX\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--XX--\r\n"}`
	cases := []struct {
		name        string
		switchName  string
		interaction string
		offCodes    []string // OPC default mode
		onCodes     []string // PactFlow compatibility mode
	}{
		{"Authorization prefix", "no-authorization-schema",
			ia(`{"method":"GET","path":"/secure","headers":{"Authorization":"Bearer x"}}`, `{"status":200}`),
			[]string{"request.authorization.missing/error"}, nil},
		{"complex parameters", "no-validate-complex-parameters",
			ia(`{"method":"GET","path":"/filter","query":"ids=1,x"}`, `{"status":200}`),
			[]string{"request.query.incompatible/error"}, nil},
		{"legacy query parser", "legacy-parser",
			ia(`{"method":"GET","path":"/filter","query":"f[colour]=red"}`, `{"status":200}`),
			[]string{"request.query.incompatible/error"}, []string{"request.query.unknown/warning"}},
		{"[object Object] queries", "cast-objects-in-pact",
			ia(`{"method":"GET","path":"/filter","query":"f=[object Object]"}`, `{"status":200}`),
			[]string{"request.query.incompatible/error"}, nil},
		{"multipart bodies", "disable-multipart-formdata", ia(multipart, `{"status":200}`),
			[]string{"request.body.incompatible/error"}, []string{"request.body.unvalidatable/warning"}},
		{"non-JSON request bodies", "no-validate-request-body-unless-application-json",
			ia(`{"method":"POST","path":"/form","headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"other=x"}`, `{"status":200}`),
			[]string{"request.body.incompatible/error"}, nil},
		{"nullable response objects", "no-transform-non-nullable-response-schema",
			ia(`{"method":"GET","path":"/owner"}`, `{"status":200,"body":{"name":"a","age":3}}`),
			[]string{"response.body.incompatible/error"}, nil},
		{"trailing slash", "ignore-trailing-slash",
			ia(`{"method":"GET","path":"/slash"}`, `{"status":200}`),
			[]string{"request.path-or-method.unknown/error"}, nil},
	}
	run := func(t *testing.T, pactflow bool, oas string, interaction string) []string {
		t.Helper()
		out, err := NewWithOptions(Options{PactFlowCompatible: pactflow}).Compare(context.Background(),
			domain.ComparisonInput{Pact: pactOf("3.0.0", interaction), Contract: []byte(oas)})
		if err != nil {
			t.Fatal(err)
		}
		want := EngineName
		if pactflow {
			want = EngineNamePactFlow
		}
		if out.Engine != want {
			t.Errorf("engine = %q, want %q", out.Engine, want)
		}
		return codes(out)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, false, switchesOAS, c.interaction); !slices.Equal(got, c.offCodes) {
				t.Errorf("default mode: %v, want %v", got, c.offCodes)
			}
			if got := run(t, true, switchesOAS, c.interaction); !slices.Equal(got, c.onCodes) {
				t.Errorf("PactFlow mode: %v, want %v", got, c.onCodes)
			}
			switchedOn := strings.Replace(switchesOAS, `info: {title: t, version: "1"}`,
				`info: {title: t, version: "1", x-opc-config-`+c.switchName+`: true}`, 1)
			if got := run(t, false, switchedOn, c.interaction); !slices.Equal(got, c.onCodes) {
				t.Errorf("default mode with the switch on in the document: %v, want %v", got, c.onCodes)
			}
			allOff := strings.Replace(switchesOAS, `info: {title: t, version: "1"}`, `info: {title: t, version: "1", `+everySwitch("false")+`}`, 1)
			if got := run(t, true, allOff, c.interaction); !slices.Equal(got, c.offCodes) {
				t.Errorf("PactFlow mode with every switch off in the document: %v, want %v", got, c.offCodes)
			}
		})
	}
}

func everySwitch(value string) string {
	var parts []string
	for _, name := range []string{"cast-objects-in-pact", "case-insensitive", "disable-multipart-formdata",
		"ignore-duplicate-slashes", "ignore-trailing-slash", "legacy-parser", "no-authorization-schema",
		"no-percent-encoding", "no-transform-non-nullable-response-schema", "no-validate-complex-parameters",
		"no-validate-request-body-unless-application-json"} {
		parts = append(parts, "x-opc-config-"+name+": "+value)
	}
	return strings.Join(parts, ", ")
}

func TestPathSwitches(t *testing.T) {
	oas := `
openapi: 3.0.3
info: {title: t, version: "1"SWITCHES}
paths:
  /Items/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string, maxLength: 3}}]
      responses: {"200": {description: ok}}
`
	with := func(switches string) string { return strings.Replace(oas, "SWITCHES", switches, 1) }
	unknown := []string{"request.path-or-method.unknown/error"}
	runRuleCases(t, []ruleCase{
		{"case-sensitive by default", with(""), ia(`{"method":"GET","path":"/items/1"}`, `{"status":200}`), unknown},
		{"case-insensitive switch", with(", x-opc-config-case-insensitive: true"), ia(`{"method":"GET","path":"/items/1"}`, `{"status":200}`), nil},
		{"duplicate slashes by default", with(""), ia(`{"method":"GET","path":"/Items//1"}`, `{"status":200}`), unknown},
		{"ignore-duplicate-slashes switch", with(", x-opc-config-ignore-duplicate-slashes: true"),
			ia(`{"method":"GET","path":"/Items//1"}`, `{"status":200}`), nil},
		{"malformed percent-encoding by default", with(""), ia(`{"method":"GET","path":"/Items/5%"}`, `{"status":200}`), unknown},
		{"no-percent-encoding switch", with(", x-opc-config-no-percent-encoding: true"),
			ia(`{"method":"GET","path":"/Items/5%"}`, `{"status":200}`), nil},
		{"no-percent-encoding keeps values as written", with(", x-opc-config-no-percent-encoding: true"),
			ia(`{"method":"GET","path":"/Items/%41%42"}`, `{"status":200}`), unknown},
		{"values are decoded by default", with(""), ia(`{"method":"GET","path":"/Items/%41%42"}`, `{"status":200}`), nil},
	})
}
