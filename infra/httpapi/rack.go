package httpapi

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pactledger/pactledger/domain"
)

// Rack's default limits (Rack::QueryParser, rack 3.2).
const (
	rackDepthLimit  = 32
	rackParamsLimit = 4096
	rackBytesLimit  = 4194304
)

// rackKind is the Ruby type a parsed query value has.
type rackKind int8

const (
	rackNil    rackKind = iota // "key" without "="
	rackString                 // "key=value"
	rackArray                  // key[]=...
	rackHash                   // key[sub]=...
)

// rackValue is one value of Rack::Utils.parse_nested_query. Hashes keep
// their keys in insertion order, as Ruby's do.
type rackValue struct {
	kind rackKind
	str  string
	list []*rackValue
	keys []string
	vals map[string]*rackValue
}

func newRackHash() *rackValue { return &rackValue{kind: rackHash, vals: map[string]*rackValue{}} }

func (h *rackValue) get(k string) (*rackValue, bool) {
	v, ok := h.vals[k]
	return v, ok
}

func (h *rackValue) set(k string, v *rackValue) {
	if _, ok := h.vals[k]; !ok {
		h.keys = append(h.keys, k)
	}
	h.vals[k] = v
}

// stringValue returns a string value; ok is false for nil, arrays and hashes.
func (v *rackValue) stringValue() (string, bool) {
	if v == nil || v.kind != rackString {
		return "", false
	}
	return v.str, true
}

func rackError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", domain.ErrInvalid, fmt.Sprintf(format, args...))
}

// parseNestedQuery is Rack::QueryParser#parse_nested_query: pairs split on
// "&" (and the spaces after it), each split once on "=" and form-decoded
// ("+" is a space); a key without "=" has a nil value.
func parseNestedQuery(raw string) (*rackValue, error) {
	params := newRackHash()
	if raw == "" {
		return params, nil
	}
	if len(raw) > rackBytesLimit {
		return nil, rackError("total query size exceeds limit (%d)", rackBytesLimit)
	}
	var pairs []string
	for rest := raw; ; {
		i := strings.IndexByte(rest, '&')
		if i < 0 {
			pairs = append(pairs, rest)
			break
		}
		pairs = append(pairs, rest[:i])
		rest = strings.TrimLeft(rest[i+1:], " ")
	}
	if len(pairs) > rackParamsLimit {
		return nil, rackError("total number of query parameters (%d) exceeds limit (%d)", len(pairs), rackParamsLimit)
	}
	for _, p := range pairs {
		if p == "" {
			continue
		}
		rawKey, rawValue, hasValue := strings.Cut(p, "=")
		k, err := url.QueryUnescape(rawKey)
		if err != nil {
			return nil, rackError("invalid %%-encoding (%s)", rawKey)
		}
		v := &rackValue{kind: rackNil}
		if hasValue {
			s, err := url.QueryUnescape(rawValue)
			if err != nil {
				return nil, rackError("invalid %%-encoding (%s)", rawValue)
			}
			v = &rackValue{kind: rackString, str: s}
		}
		if _, err := normalizeParams(params, k, v, 0); err != nil {
			return nil, err
		}
	}
	return params, nil
}

// normalizeParams is Rack's _normalize_params. The hazard it encodes: in
// q[][a]=..&q[][b]=.., a new array element starts only when the last
// element already has the key, so clients must interleave selector keys.
func normalizeParams(params *rackValue, name string, v *rackValue, depth int) (*rackValue, error) {
	if depth >= rackDepthLimit {
		return nil, rackError("query nesting exceeds limit (%d)", rackDepthLimit)
	}
	var k, after string
	switch {
	case depth == 0:
		if i := strings.IndexByte(name[min(1, len(name)):], '['); name != "" && i >= 0 {
			k, after = name[:i+1], name[i+1:]
		} else {
			k = name
		}
	case strings.HasPrefix(name, "[]"):
		k, after = "[]", name[2:]
	case strings.HasPrefix(name, "[") && strings.IndexByte(name[1:], ']') >= 0:
		j := strings.IndexByte(name[1:], ']') + 1
		k, after = name[1:j], name[j+1:]
	default:
		k = name
	}
	if k == "" {
		return nil, nil
	}
	switch {
	case after == "":
		if k == "[]" && depth != 0 {
			return &rackValue{kind: rackArray, list: []*rackValue{v}}, nil
		}
		params.set(k, v)
	case after == "[":
		params.set(name, v)
	case after == "[]":
		list, err := arrayAt(params, k)
		if err != nil {
			return nil, err
		}
		list.list = append(list.list, v)
	case strings.HasPrefix(after, "[]"):
		child := after[2:]
		if len(after) > 3 && after[2] == '[' && strings.HasSuffix(after, "]") {
			if c := after[3 : len(after)-1]; c != "" && !strings.ContainsAny(c, "[]") {
				child = c
			}
		}
		list, err := arrayAt(params, k)
		if err != nil {
			return nil, err
		}
		if n := len(list.list); n > 0 && list.list[n-1].kind == rackHash && !hashHasKey(list.list[n-1], child) {
			// The result is dropped, as in Rack (it matters only for x[][]).
			if _, err := normalizeParams(list.list[n-1], child, v, depth+1); err != nil {
				return nil, err
			}
		} else {
			elem, err := normalizeParams(newRackHash(), child, v, depth+1)
			if err != nil {
				return nil, err
			}
			if elem == nil {
				elem = &rackValue{kind: rackNil}
			}
			list.list = append(list.list, elem)
		}
	default:
		cur, ok := params.get(k)
		if !ok || cur.kind == rackNil {
			cur = newRackHash()
		} else if cur.kind != rackHash {
			return nil, rackError("expected Hash (got %s) for param `%s'", rubyClass(cur), k)
		}
		nested, err := normalizeParams(cur, after, v, depth+1)
		if err != nil {
			return nil, err
		}
		if nested == nil {
			nested = &rackValue{kind: rackNil}
		}
		params.set(k, nested)
	}
	return params, nil
}

// arrayAt returns params[k] ||= [], refusing a value of another type.
func arrayAt(params *rackValue, k string) (*rackValue, error) {
	cur, ok := params.get(k)
	if !ok || cur.kind == rackNil {
		cur = &rackValue{kind: rackArray}
		params.set(k, cur)
	} else if cur.kind != rackArray {
		return nil, rackError("expected Array (got %s) for param `%s'", rubyClass(cur), k)
	}
	return cur, nil
}

// hashHasKey is Rack's params_hash_has_key?: the key may be a path like
// "a][b"; a key containing "[]" never matches.
func hashHasKey(h *rackValue, key string) bool {
	if strings.Contains(key, "[]") {
		return false
	}
	for _, part := range strings.FieldsFunc(key, func(r rune) bool { return r == '[' || r == ']' }) {
		if h.kind != rackHash {
			return false
		}
		next, ok := h.get(part)
		if !ok {
			return false
		}
		h = next
	}
	return true
}

func rubyClass(v *rackValue) string {
	switch v.kind {
	case rackString:
		return "String"
	case rackArray:
		return "Array"
	case rackHash:
		return "Hash"
	}
	return "NilClass"
}
