package openapicompare

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pactledger/pactledger/domain"
)

// check carries one interaction through the pipeline and collects its
// mismatches.
type check struct {
	spec *spec
	in   *interaction
	op   *operation
	// pathParams are the decoded path parameter values by name.
	pathParams map[string]string
	out        []domain.Mismatch
}

// add records a mismatch of the current interaction; pactLoc is relative to
// the interaction (".request.body.id"), specLoc absolute.
func (c *check) add(code, typ, message, pactLoc string, pactValue any, specLoc string) {
	if c.spec.swagger2 {
		// Point at the Swagger file's own names, not the converted ones.
		specLoc = strings.ReplaceAll(specLoc, ".components.schemas.", ".definitions.")
	}
	m := domain.Mismatch{
		Code:         code,
		Type:         typ,
		Message:      message,
		Interaction:  c.in.description,
		State:        c.in.state,
		PactLocation: fmt.Sprintf("[root].interactions[%d]%s", c.in.index, pactLoc),
		SpecLocation: specLoc,
	}
	if m.State == "" {
		m.State = "[none]"
	}
	if pactValue != nil {
		m.PactValue = jsonValue(pactValue)
	}
	if c.op != nil {
		m.SpecPathName = c.op.path
		m.SpecPathMethod = c.op.method
	}
	c.out = append(c.out, m)
}

// fail records an error (the comparison fails); warn a warning.
func (c *check) fail(code, message, pactLoc string, pactValue any, specLoc string) {
	c.add(code, domain.MismatchError, message, pactLoc, pactValue, specLoc)
}

func (c *check) warn(code, message, pactLoc string, pactValue any, specLoc string) {
	c.add(code, domain.MismatchWarning, message, pactLoc, pactValue, specLoc)
}

// opLocation is "[root].paths./pet/{petId}.get".
func (c *check) opLocation() string {
	return "[root].paths." + c.op.path + "." + c.op.method
}

// run applies OPC's pipeline (reference/bdct.md §2.1) to one interaction.
func (c *check) run() {
	path := c.in.path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	op, params := c.spec.router.find(c.in.method, path)
	if op == nil || strings.Contains(path, "?") {
		c.fail("request.path-or-method.unknown",
			fmt.Sprintf("Path or method not defined in spec file: %s %s", c.in.method, c.in.path),
			".request.path", c.in.path, "[root].paths")
		return
	}
	c.op, c.pathParams = op, params
	if !c.checkPathParams() {
		return
	}
	c.checkSecurity()
	contentTypeIncompatible := c.checkRequestHeaders()
	c.checkQuery()
	if !contentTypeIncompatible {
		c.checkRequestBody()
	}
	if !c.checkResponseHeaders() {
		c.checkResponseBody()
	}
}

// paramSchema is the parameter's schema: "schema" (OpenAPI 3), else the
// parameter object itself minus name/in/description/required (Swagger 2
// style, as OPC does).
func paramSchema(p parameter) map[string]any {
	if s := obj(p.raw["schema"]); s != nil {
		return s
	}
	out := map[string]any{}
	for k, v := range p.raw {
		switch k {
		case "name", "in", "description", "required":
		default:
			out[k] = v
		}
	}
	return out
}

// paramValidator compiles (once) the parameter's schema, transformed like
// OPC's minimumSchema.
func (c *check) paramValidator(p parameter, schema map[string]any) (*compiled, string) {
	id := fmt.Sprintf("[root].paths.%s.%s.parameters[%d]", c.op.path, c.op.method, p.index)
	return c.spec.schemas.compile(id, func() map[string]any { return minimumSchema(schema, c.spec.root) }), id
}

// validateParam coerces and validates a parameter value; each failure is
// reported with code.
func (c *check) validateParam(code, pactLoc string, p parameter, schema map[string]any, value any) {
	v, id := c.paramValidator(p, schema)
	value = coerce(v.doc, v.doc, value, 0)
	for _, e := range v.validate(value) {
		c.fail(code, "Value is incompatible with the parameter defined in the spec file: "+e.message,
			pactLoc+dotted(e.instance), instanceValue(value, e.instance), id+".schema."+e.keyword)
	}
}

// missingParam reports a required parameter that is absent, as AJV does
// when validating "undefined": "must be <type>" when the schema has a type.
func (c *check) missingParam(code, pactLoc string, p parameter, schema map[string]any) {
	v, id := c.paramValidator(p, schema)
	resolved := derefIn(v.doc, v.doc)
	types := typeList(resolved["type"])
	if len(types) == 0 {
		return
	}
	keyword := "type"
	if ref, ok := v.doc["$ref"].(string); ok {
		if toks, ok := splitPointer(ref); ok {
			keyword = strings.Join(append(toks, "type"), ".")
		}
	}
	c.fail(code, "Value is incompatible with the parameter defined in the spec file: must be "+strings.Join(types, ","),
		pactLoc, nil, id+".schema."+keyword)
}

func dotted(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	return "." + strings.Join(loc, ".")
}

// checkPathParams validates path parameter values (coerced) against their
// schemas; a failure is request.path-or-method.unknown, and stops the
// interaction. It reports whether the interaction may continue.
func (c *check) checkPathParams() bool {
	ok := true
	for _, p := range c.op.params {
		if p.in != "path" {
			continue
		}
		raw, present := c.pathParams[p.name]
		if !present {
			continue
		}
		schema := paramSchema(p)
		var value any = raw
		if schema["type"] != "string" {
			value = parseParamValue(raw)
		}
		if s, isString := value.(string); isString && schema["type"] == "array" {
			sep := ","
			explode, _ := p.raw["explode"].(bool)
			switch strings.ToLower(str(p.raw["style"])) {
			case "label":
				if explode {
					sep = "."
				}
			case "matrix":
				if explode {
					sep = ";"
				}
			}
			value = stringsToAny(strings.Split(s, sep))
		}
		if c.skipComplexParameter(schema, value) {
			continue
		}
		v, _ := c.paramValidator(p, schema)
		value = coerce(v.doc, v.doc, value, 0)
		for range v.validate(value) {
			ok = false
			c.fail("request.path-or-method.unknown",
				fmt.Sprintf("Path or method not defined in spec file: %s %s", strings.ToUpper(c.op.method), c.in.path),
				".request.path", c.in.path, "[root].paths")
		}
	}
	return ok
}

// skipComplexParameter: with x-opc-config-no-validate-complex-parameters,
// array and object parameters that have a value are not validated (as
// swagger-mock-validator, which only validated primitives).
func (c *check) skipComplexParameter(schema map[string]any, value any) bool {
	if !c.spec.config.noValidateComplexParameters || !truthy(value) {
		return false
	}
	t := derefIn(c.spec.root, schema)["type"]
	return t == "array" || t == "object"
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// patternedStatus is "2XX" for 200..299.
func patternedStatus(status int) string {
	return strconv.Itoa(status/100) + "XX"
}
