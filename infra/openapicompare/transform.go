package openapicompare

import (
	"slices"
)

// The schema transforms below port OPC's src/transform (MIT): they run on a
// private deep copy of the raw schema tree, into which every referenced
// component is copied at its document path (so "#/components/schemas/Pet"
// still resolves inside the copy and circular references stay references).

// maxDepth bounds the recursive transforms on pathological documents.
const maxDepth = 200

// minimumSchema returns a self-contained copy of schema: description and
// example dropped, discriminators cleaned up (kept only next to oneOf, tag
// made required), nullable rewritten to a type list, boolean
// exclusiveMinimum/Maximum turned into numbers, referenced components
// copied in, and allOf merged (OpenAPI's "union" reading of allOf).
func minimumSchema(schema map[string]any, root map[string]any) map[string]any {
	s, _ := deepCopy(schema).(map[string]any)
	if s == nil {
		s = map[string]any{}
	}
	delete(s, "description")
	delete(s, "example")
	var toAdd, added []string
	prepare := func(x map[string]any) {
		traverse(x, 0, cleanupDiscriminator)
		traverse(x, 0, func(m map[string]any) {
			if ref, ok := m["$ref"].(string); ok && !slices.Contains(toAdd, ref) && !slices.Contains(added, ref) {
				toAdd = append(toAdd, ref)
			}
		})
		traverse(x, 0, func(m map[string]any) { rewriteNullable(m, root) })
		traverse(x, 0, convertExclusiveBounds)
	}
	prepare(s)
	for len(toAdd) > 0 {
		ref := toAdd[0]
		toAdd = toAdd[1:]
		added = append(added, ref)
		tokens, ok := splitPointer(ref)
		if !ok || len(tokens) == 0 {
			continue
		}
		sub, _ := deepCopy(pointerGet(root, ref)).(map[string]any)
		if sub == nil {
			sub = map[string]any{}
		}
		delete(sub, "description")
		delete(sub, "example")
		prepare(sub)
		pointerSet(s, tokens, sub)
	}
	return flattenAllOf(s, added)
}

// traverse visits the sub-schemas OPC's traverse visits (allOf, oneOf,
// anyOf, properties, not, items, additionalProperties), children first.
func traverse(v any, depth int, visit func(map[string]any)) {
	m, ok := v.(map[string]any)
	if !ok || depth > maxDepth {
		return
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		if list, ok := m[k].([]any); ok {
			for _, it := range list {
				traverse(it, depth+1, visit)
			}
		}
	}
	for _, p := range obj(m["properties"]) {
		traverse(p, depth+1, visit)
	}
	traverse(m["not"], depth+1, visit)
	if list, ok := m["items"].([]any); ok {
		for _, it := range list {
			traverse(it, depth+1, visit)
		}
	} else {
		traverse(m["items"], depth+1, visit)
	}
	traverse(m["additionalProperties"], depth+1, visit)
	visit(m)
}

func cleanupDiscriminator(s map[string]any) {
	d, hasDiscriminator := s["discriminator"]
	_, hasOneOf := s["oneOf"]
	if dm, ok := d.(map[string]any); ok && hasOneOf {
		if name := str(dm["propertyName"]); name != "" {
			req, _ := s["required"].([]any)
			if !slices.Contains(req, any(name)) {
				s["required"] = append(slices.Clone(req), name)
			}
		}
	}
	if hasDiscriminator && (!hasOneOf || d == nil) {
		delete(s, "discriminator")
	}
	if _, ok := s["discriminator"].(map[string]any); !ok {
		delete(s, "discriminator")
	}
}

// rewriteNullable turns OpenAPI 3.0 "nullable: true" into a JSON Schema type
// list (a nullable $ref takes the referenced type, as OPC does; nullable
// without a type means object).
func rewriteNullable(s map[string]any, root map[string]any) {
	nullable, _ := s["nullable"].(bool)
	if _, isRef := s["$ref"]; isRef {
		if nullable && s["type"] == nil {
			if t := derefIn(root, s)["type"]; t != nil {
				s["type"] = t
			}
		}
		return
	}
	if !nullable {
		return
	}
	if s["type"] == nil {
		s["type"] = "object"
	}
	if _, isList := s["type"].([]any); !isList {
		s["type"] = []any{s["type"], "null"}
	}
}

func convertExclusiveBounds(s map[string]any) {
	for _, b := range [][2]string{{"exclusiveMaximum", "maximum"}, {"exclusiveMinimum", "minimum"}} {
		switch s[b[0]] {
		case true:
			s[b[0]] = s[b[1]]
			delete(s, b[1])
			if s[b[0]] == nil {
				delete(s, b[0])
			}
		case false:
			delete(s, b[0])
		}
	}
}
