package openapicompare

import (
	"slices"
)

// closeResponseSchema is OPC's transformReceivedSchema: every object schema
// without allOf/anyOf/oneOf whose additionalProperties is absent or true is
// closed (additionalProperties: false), and "required" is removed
// everywhere except next to oneOf (the discriminator needs it). The pact
// response must be a subset of what the provider can produce.
//
// With skipNullable (x-opc-config-no-transform-non-nullable-response-schema)
// nullable objects are left open, as swagger-mock-validator did.
func closeResponseSchema(s map[string]any, skipNullable bool) {
	visitDereferenced(s, func(m map[string]any) {
		ap, has := m["additionalProperties"]
		nullable, _ := m["nullable"].(bool)
		if (!has || ap == true) && m["oneOf"] == nil && m["allOf"] == nil && m["anyOf"] == nil && m["type"] == "object" &&
			(!skipNullable || !nullable) {
			m["additionalProperties"] = false
		}
	})
	visitDereferenced(s, func(m map[string]any) {
		if m["oneOf"] != nil || m[discriminatorKeyword] != nil {
			return
		}
		delete(m, "required")
	})
}

// visitDereferenced walks the schema following $refs into the copied
// components (each reference once), children first.
func visitDereferenced(root map[string]any, visit func(map[string]any)) {
	visited := map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		m, ok := v.(map[string]any)
		if !ok || depth > maxDepth {
			return
		}
		if ref, ok := m["$ref"].(string); ok {
			if visited[ref] {
				return
			}
			visited[ref] = true
		}
		d := derefIn(root, m)
		if nullable, _ := m["nullable"].(bool); nullable {
			d["nullable"] = true
			if d["type"] == nil {
				d["type"] = "object"
			}
		}
		for _, k := range []string{"allOf", "oneOf", "anyOf"} {
			if list, ok := d[k].([]any); ok {
				for _, it := range list {
					walk(it, depth+1)
				}
			}
		}
		for _, p := range obj(d["properties"]) {
			walk(p, depth+1)
		}
		walk(d["not"], depth+1)
		walk(d["items"], depth+1)
		walk(d["additionalProperties"], depth+1)
		visit(d)
	}
	walk(root, 0)
}

// walkSchemas visits every schema reachable from root through JSON Schema
// keywords and local $refs (each reference once), parents first.
func walkSchemas(root map[string]any, visit func(map[string]any)) {
	visited := map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		m, ok := v.(map[string]any)
		if !ok || depth > maxDepth {
			return
		}
		visit(m)
		if ref, ok := m["$ref"].(string); ok && !visited[ref] {
			visited[ref] = true
			walk(pointerGet(root, ref), depth+1)
		}
		for _, k := range []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"} {
			for _, e := range obj(m[k]) {
				walk(e, depth+1)
			}
		}
		for _, k := range []string{"allOf", "anyOf", "oneOf", "prefixItems", "items"} {
			if list, ok := m[k].([]any); ok {
				for _, e := range list {
					walk(e, depth+1)
				}
			}
		}
		for _, k := range []string{"items", "not", "additionalProperties", "if", "then", "else", "contains",
			"propertyNames", "unevaluatedProperties", "unevaluatedItems", "additionalItems"} {
			walk(m[k], depth+1)
		}
		if d := obj(m[discriminatorKeyword]); d != nil {
			if list, ok := d["branches"].([]any); ok {
				for _, e := range list {
					walk(e, depth+1)
				}
			}
		}
	}
	walk(root, 0)
}

// sanitize removes what JSON Schema's metaschema would reject in an OpenAPI
// schema (Swagger's "file" type, a non-array "required", a non-string
// "format" or "pattern"), so the compiler accepts it.
func sanitize(x map[string]any) {
	switch t := x["type"].(type) {
	case string:
		if !validType(t) {
			delete(x, "type")
		}
	case []any:
		kept := t[:0:0]
		for _, e := range t {
			if s, ok := e.(string); ok && validType(s) && !slices.Contains(kept, e) {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			delete(x, "type")
		} else {
			x["type"] = kept
		}
	case nil:
	default:
		delete(x, "type")
	}
	if _, ok := x["required"]; ok {
		if _, isList := x["required"].([]any); !isList {
			delete(x, "required")
		}
	}
	for _, k := range []string{"format", "pattern"} {
		if _, ok := x[k]; ok {
			if _, isString := x[k].(string); !isString {
				delete(x, k)
			}
		}
	}
}

func validType(t string) bool {
	switch t {
	case "string", "number", "integer", "boolean", "object", "array", "null":
		return true
	}
	return false
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	default:
		return v
	}
}

// pointerSet stores v at the path tokens in root, creating objects on the
// way (an array or scalar on the way stops it).
func pointerSet(root map[string]any, tokens []string, v any) {
	cur := root
	for i, tok := range tokens {
		if i == len(tokens)-1 {
			cur[tok] = v
			return
		}
		next, ok := cur[tok].(map[string]any)
		if !ok {
			if cur[tok] != nil {
				return
			}
			next = map[string]any{}
			cur[tok] = next
		}
		cur = next
	}
}
