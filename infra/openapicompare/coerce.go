package openapicompare

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// coerce converts v the way AJV's coerceTypes does for parameters and
// headers (a string "10" satisfies an integer schema, "true" a boolean),
// following the schema's $refs, items and properties. doc is the
// transformed schema document the references resolve in.
func coerce(doc map[string]any, schema any, v any, depth int) any {
	m := obj(schema)
	if m == nil || depth > maxDepth {
		return v
	}
	m = derefIn(doc, m)
	types := typeList(m["type"])
	if len(types) > 0 && !typeMatches(v, types) {
		for _, t := range types {
			if c, ok := coerceTo(v, t); ok {
				v = c
				break
			}
		}
	}
	switch x := v.(type) {
	case []any:
		if items := obj(m["items"]); items != nil {
			for i := range x {
				x[i] = coerce(doc, items, x[i], depth+1)
			}
		}
	case map[string]any:
		props := obj(m["properties"])
		for k, e := range x {
			if ps, ok := props[k]; ok {
				x[k] = coerce(doc, ps, e, depth+1)
			} else if ap := obj(m["additionalProperties"]); ap != nil {
				x[k] = coerce(doc, ap, e, depth+1)
			}
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		list, _ := m[k].([]any)
		for _, b := range list {
			c := coerce(doc, b, deepCopy(v), depth+1)
			if bt := typeList(derefIn(doc, obj(b))["type"]); len(bt) == 0 || typeMatches(c, bt) {
				v = c
				if k != "allOf" {
					break
				}
			}
		}
	}
	return v
}

func typeList(t any) []string {
	switch x := t.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func typeMatches(v any, types []string) bool {
	for _, t := range types {
		switch t {
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "number":
			if _, ok := number(v); ok {
				return true
			}
		case "integer":
			if f, ok := number(v); ok && f == math.Trunc(f) {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "null":
			if v == nil {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		}
	}
	return false
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

func coerceTo(v any, t string) (any, bool) {
	switch t {
	case "number", "integer":
		switch x := v.(type) {
		case bool:
			if x {
				return json.Number("1"), true
			}
			return json.Number("0"), true
		case nil:
			return json.Number("0"), true
		case string:
			s := strings.TrimSpace(x)
			if x == "" || s == "" {
				return nil, false
			}
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, false
			}
			if t == "integer" && f != math.Trunc(f) {
				return nil, false
			}
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), true
		}
	case "boolean":
		switch x := v.(type) {
		case string:
			if x == "true" {
				return true, true
			}
			if x == "false" {
				return false, true
			}
		case nil:
			return false, true
		default:
			if f, ok := number(v); ok && (f == 0 || f == 1) {
				return f == 1, true
			}
		}
	case "string":
		switch x := v.(type) {
		case bool:
			return strconv.FormatBool(x), true
		case nil:
			return "", true
		default:
			if n, ok := v.(json.Number); ok {
				return n.String(), true
			}
		}
	case "null":
		switch x := v.(type) {
		case string:
			if x == "" {
				return nil, true
			}
		case bool:
			if !x {
				return nil, true
			}
		default:
			if f, ok := number(v); ok && f == 0 {
				return nil, true
			}
		}
	}
	return nil, false
}

// truthy is JavaScript truthiness, which OPC uses to decide whether a body
// is "present".
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	default:
		if f, ok := number(v); ok {
			return f != 0
		}
		return true
	}
}

// jsonValue renders v for a Mismatch's PactValue/SpecValue.
func jsonValue(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return json.RawMessage(bytes.TrimSpace(buf.Bytes()))
}
