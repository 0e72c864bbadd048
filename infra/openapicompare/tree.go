package openapicompare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

// derefIn follows o's chain of local "$ref"s inside root; a broken or
// circular chain gives o itself.
func derefIn(root, o map[string]any) map[string]any {
	seen := map[string]bool{}
	cur := o
	for {
		ref, ok := cur["$ref"].(string)
		if !ok {
			return cur
		}
		if seen[ref] {
			return o
		}
		seen[ref] = true
		target, ok := pointerGet(root, ref).(map[string]any)
		if !ok {
			return o
		}
		cur = target
	}
}

// pointerGet resolves a local JSON pointer ("#/a/b~1c") in root.
func pointerGet(root any, ref string) any {
	tokens, ok := splitPointer(ref)
	if !ok {
		return nil
	}
	return instanceValue(root, tokens)
}

func splitPointer(ref string) ([]string, bool) {
	switch {
	case strings.HasPrefix(ref, "#/"):
		ref = ref[2:]
	case ref == "#":
		return nil, true
	default:
		return nil, false
	}
	parts := strings.Split(ref, "/")
	for i, p := range parts {
		p = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
		if strings.Contains(p, "%") {
			if u, err := url.PathUnescape(p); err == nil {
				p = u
			}
		}
		parts[i] = p
	}
	return parts, true
}

// decodeTree decodes JSON or YAML into plain Go values (maps with string
// keys, json.Number numbers).
func decodeTree(data []byte) (any, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: the document is empty", errSpec)
	}
	if trimmed[0] == '{' {
		var v any
		if err := unmarshalNumbers(trimmed, &v); err == nil {
			return v, nil
		}
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return nil, fmt.Errorf("%w: neither JSON nor YAML: %v", errSpec, err)
	}
	if hasAnchors(&node) {
		return nil, fmt.Errorf("%w: YAML anchors and aliases are not supported", errSpec)
	}
	var v any
	if err := node.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", errSpec, err)
	}
	v = normalizeYAML(v)
	// Round-trip through JSON so numbers are json.Number as for JSON input.
	js, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errSpec, err)
	}
	var out any
	if err := unmarshalNumbers(js, &out); err != nil {
		return nil, fmt.Errorf("%w: %v", errSpec, err)
	}
	return out, nil
}

func hasAnchors(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAnchors(c) {
			return true
		}
	}
	return false
}

// normalizeYAML turns map[any]any (YAML allows non-string keys such as
// unquoted status codes) into map[string]any.
func normalizeYAML(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeYAML(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = normalizeYAML(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = normalizeYAML(e)
		}
		return x
	default:
		return v
	}
}

func unmarshalNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
