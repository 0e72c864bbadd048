package openapicompare

import (
	"slices"
)

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
