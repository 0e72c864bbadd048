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

// flattenAllOf merges allOf members into their parent (after dereferencing
// them), in the main schema and in every copied component.
func flattenAllOf(s map[string]any, refs []string) map[string]any {
	out := flatten(s, s, 0)
	for _, ref := range refs {
		tokens, ok := splitPointer(ref)
		if !ok || len(tokens) == 0 {
			continue
		}
		if sub, ok := pointerGet(s, ref).(map[string]any); ok {
			pointerSet(out, tokens, flatten(sub, s, 0))
		}
	}
	return out
}

func flatten(s map[string]any, root map[string]any, depth int) map[string]any {
	if depth > maxDepth {
		return s
	}
	if allOf, ok := s["allOf"].([]any); ok {
		merged := make(map[string]any, len(s))
		for k, v := range s {
			if k != "allOf" {
				merged[k] = v
			}
		}
		for _, m := range allOf {
			member := obj(m)
			if member == nil {
				continue
			}
			if ref, ok := member["$ref"].(string); ok {
				d := make(map[string]any, len(member))
				for k, v := range member {
					if k != "$ref" {
						d[k] = v
					}
				}
				for k, v := range obj(pointerGet(root, ref)) {
					d[k] = v
				}
				member = d
			}
			mergeInto(merged, inlinePropertyRefs(flatten(member, root, depth+1), root, depth+1))
		}
		return merged
	}
	if props := obj(s["properties"]); props != nil {
		for k, p := range props {
			if pm, ok := p.(map[string]any); ok {
				props[k] = flatten(pm, root, depth+1)
			}
		}
		return s
	}
	for _, key := range []string{"oneOf", "anyOf", "not", "items", "additionalProperties"} {
		v, ok := s[key]
		if !ok || v == nil || v == false {
			continue
		}
		out := make(map[string]any, len(s))
		for k, e := range s {
			out[k] = e
		}
		switch x := v.(type) {
		case []any:
			list := make([]any, len(x))
			for i, it := range x {
				if im, ok := it.(map[string]any); ok {
					list[i] = flatten(im, root, depth+1)
				} else {
					list[i] = it
				}
			}
			out[key] = list
		case map[string]any:
			out[key] = flatten(x, root, depth+1)
		}
		return out
	}
	return s
}

// inlinePropertyRefs replaces pure-$ref properties by their flattened
// targets, so merging two allOf members that declare the same property does
// not produce {$ref, properties} hybrids.
func inlinePropertyRefs(s map[string]any, root map[string]any, depth int) map[string]any {
	props := obj(s["properties"])
	if props == nil {
		return s
	}
	out := make(map[string]any, len(props))
	changed := false
	for k, p := range props {
		pm := obj(p)
		if ref, ok := pm["$ref"].(string); ok && len(pm) == 1 {
			if target := obj(pointerGet(root, ref)); target != nil {
				out[k] = flatten(deepCopy(target).(map[string]any), root, depth+1)
				changed = true
				continue
			}
		}
		out[k] = p
	}
	if !changed {
		return s
	}
	cp := make(map[string]any, len(s))
	for k, v := range s {
		cp[k] = v
	}
	cp["properties"] = out
	return cp
}

// mergeInto deep-merges src into dst like lodash.merge (objects merged key
// by key, arrays index by index, source values deep-copied), except that
// "required" lists are united: a property required by any allOf member stays
// required (lodash would keep only the last member's list by index).
func mergeInto(dst, src map[string]any) {
	for k, sv := range src {
		if k == "required" {
			a, _ := dst[k].([]any)
			b, _ := sv.([]any)
			union := slices.Clone(a)
			for _, x := range b {
				if !slices.Contains(union, x) {
					union = append(union, x)
				}
			}
			dst[k] = union
			continue
		}
		dst[k] = mergeValue(dst[k], sv)
	}
}

func mergeValue(dv, sv any) any {
	switch s := sv.(type) {
	case map[string]any:
		d, ok := dv.(map[string]any)
		if !ok {
			return deepCopy(s)
		}
		cp := make(map[string]any, len(d))
		for k, v := range d {
			cp[k] = v
		}
		mergeInto(cp, s)
		return cp
	case []any:
		d, ok := dv.([]any)
		if !ok {
			return deepCopy(s)
		}
		out := slices.Clone(d)
		for i, e := range s {
			if i < len(out) {
				out[i] = mergeValue(out[i], e)
			} else {
				out = append(out, deepCopy(e))
			}
		}
		return out
	case nil:
		if dv != nil {
			return dv
		}
		return nil
	default:
		return sv
	}
}

// closeResponseSchema is OPC's transformReceivedSchema: every object schema
// without allOf/anyOf/oneOf whose additionalProperties is absent or true is
// closed (additionalProperties: false), and "required" is removed
// everywhere except next to oneOf (the discriminator needs it). The pact
// response must be a subset of what the provider can produce.
func closeResponseSchema(s map[string]any) {
	visitDereferenced(s, func(m map[string]any) {
		ap, has := m["additionalProperties"]
		if (!has || ap == true) && m["oneOf"] == nil && m["allOf"] == nil && m["anyOf"] == nil && m["type"] == "object" {
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
