package httpapi

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/queries"
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

// ParseMatrixQuery reads a /matrix query string the way the broker's
// Matrix::ParseQuery does (reference §7.1): q[][...] and the flat q[]key=
// form, ignore[][...], success[] or a scalar success, latestby, latest, tag,
// environment, mainBranch and limit (default 100; a bare "limit" means
// none). A top-level branch is ignored, as by the broker. Values of the
// wrong Ruby type, which make the broker answer 500, count as absent
// (selectors) or as an invalid limit. The error, for input Rack refuses,
// wraps domain.ErrInvalid.
func ParseMatrixQuery(rawQuery string) (queries.MatrixQuery, error) {
	params, err := parseNestedQuery(rawQuery)
	if err != nil {
		return queries.MatrixQuery{}, err
	}
	q := queries.MatrixQuery{Selectors: rackSelectors(params, "q"), Ignore: rackSelectors(params, "ignore")}
	given := func(key string) (*rackValue, bool) {
		v, ok := params.get(key)
		if ok && v.kind == rackString && v.str == "" {
			return nil, false
		}
		return v, ok
	}
	if v, ok := params.get("success"); ok { // success= (empty) selects unverified rows
		switch v.kind {
		case rackArray:
			q.Success = make([]queries.Outcome, 0, len(v.list))
			for _, e := range v.list {
				q.Success = append(q.Success, rackOutcome(e))
			}
		case rackString:
			q.Success = []queries.Outcome{rackOutcome(v)}
		}
	}
	if v, ok := given("latestby"); ok && v.kind != rackNil {
		q.LatestBy = v.str
		if v.kind != rackString {
			q.LatestBy = "?" // truthy but unknown: latest rows, no grouping
		}
	}
	defaultLimit := 100
	q.Limit = &defaultLimit
	if v, ok := given("limit"); ok {
		switch n := rubyToI(v.str); v.kind {
		case rackNil:
			q.Limit = nil
		case rackString:
			q.Limit = &n
		default:
			zero := 0
			q.Limit = &zero
		}
	}
	if v, ok := given("latest"); ok {
		q.Latest = v.kind == rackString && v.str == "true"
	}
	if v, ok := given("mainBranch"); ok {
		b := v.kind == rackString && v.str == "true"
		q.MainBranch = &b
	}
	if v, ok := given("tag"); ok {
		q.Tag, _ = v.stringValue()
	}
	if v, ok := given("environment"); ok {
		q.Environment, _ = v.stringValue()
	}
	return q, nil
}

// ParseCanIDeployQuery reads a GET /can-i-deploy query string: pacticipant,
// version, to, environment, and ignore[]=<name> or
// ignore[][pacticipant]=..&ignore[][version]=.. entries.
func ParseCanIDeployQuery(rawQuery string) (queries.CanIDeployQuery, error) {
	if q, ok := parseFlatCanIDeployQuery(rawQuery); ok {
		return q, nil
	}
	return parseRackCanIDeployQuery(rawQuery)
}

// parseFlatCanIDeployQuery is ParseCanIDeployQuery without building Rack's
// nested hash, for the flat form the CLI sends on every pipeline run
// (pacticipant=..&version=..&environment=..): for keys without brackets
// Rack's result is the last value of each key. ok is false, and the query
// must go through Rack's parser, when a key has "[" (ignore[]…) or needs
// unescaping ("%", "+"), when a value's escape is invalid (Rack's error),
// or when the query is long enough to meet Rack's limits.
// TestFlatCanIDeployQueryMatchesRack holds the two equal.
func parseFlatCanIDeployQuery(raw string) (q queries.CanIDeployQuery, ok bool) {
	if len(raw) >= rackParamsLimit { // shorter: at most rackParamsLimit pairs
		return q, false
	}
	for rest := raw; ; {
		pair, after, more := strings.Cut(rest, "&")
		if pair != "" {
			key, value, hasValue := strings.Cut(pair, "=")
			if strings.ContainsAny(key, "[%+") {
				return q, false
			}
			v := queries.Param{Present: true}
			if hasValue {
				s, err := url.QueryUnescape(value)
				if err != nil {
					return q, false
				}
				v.Value = s
			}
			switch key {
			case "pacticipant":
				q.Pacticipant = v
			case "version":
				q.Version = v
			case "to":
				q.To = v
			case "environment":
				q.Environment = v
			}
		}
		if !more {
			return q, true
		}
		rest = strings.TrimLeft(after, " ")
	}
}

// parseRackCanIDeployQuery is ParseCanIDeployQuery through Rack's parser.
func parseRackCanIDeployQuery(rawQuery string) (queries.CanIDeployQuery, error) {
	params, err := parseNestedQuery(rawQuery)
	if err != nil {
		return queries.CanIDeployQuery{}, err
	}
	param := func(key string) queries.Param {
		v, ok := params.get(key)
		if !ok {
			return queries.Param{}
		}
		s, _ := v.stringValue()
		return queries.Param{Present: true, Value: s, NotString: v.kind == rackArray || v.kind == rackHash}
	}
	q := queries.CanIDeployQuery{Pacticipant: param("pacticipant"), Version: param("version"),
		To: param("to"), Environment: param("environment")}
	if v, ok := params.get("ignore"); ok && v.kind == rackArray {
		for _, e := range v.list {
			if name, ok := e.stringValue(); ok {
				q.Ignore = append(q.Ignore, queries.Selector{Pacticipant: name})
			} else if e.kind == rackHash {
				if p, ok := e.get("pacticipant"); ok {
					name, _ := p.stringValue()
					version, _ := e.vals["version"].stringValue()
					q.Ignore = append(q.Ignore, queries.Selector{Pacticipant: name, Version: version})
				}
			}
		}
	}
	return q, nil
}

// rackSelectors reads an array of selector hashes (ParseQuery.parse_selector).
// A string element behaves as Ruby's String#[] makes it: "x"["tag"] is
// "tag" when x contains it.
func rackSelectors(params *rackValue, key string) []queries.Selector {
	v, ok := params.get(key)
	if !ok || v.kind != rackArray {
		return nil
	}
	out := make([]queries.Selector, 0, len(v.list))
	for _, e := range v.list {
		field := func(k string) string {
			if e.kind == rackString {
				if strings.Contains(e.str, k) {
					return k
				}
				return ""
			}
			if e.kind != rackHash {
				return ""
			}
			s, _ := e.vals[k].stringValue()
			return s
		}
		out = append(out, queries.Selector{Pacticipant: field("pacticipant"), Version: field("version"),
			Latest: field("latest") == "true", Tag: field("tag"), Branch: field("branch"),
			MainBranch: field("mainBranch") == "true", Environment: field("environment")})
	}
	return out
}

// rackOutcome maps a success value: "" is unverified, "true" succeeded,
// anything else (nil included) failed.
func rackOutcome(v *rackValue) queries.Outcome {
	switch s, ok := v.stringValue(); {
	case ok && s == "":
		return queries.Unverified
	case ok && s == "true":
		return queries.Succeeded
	}
	return queries.Failed
}

// rubyToI is String#to_i: leading whitespace, an optional sign, digits;
// anything else ends the number (0 when there are no digits).
func rubyToI(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n > (1<<31)/10 {
			n = 1 << 31 // beyond any real limit
			break
		}
		n = n*10 + int(s[i]-'0')
		if i+1 < len(s) && s[i+1] == '_' && i+2 < len(s) && s[i+2] >= '0' && s[i+2] <= '9' {
			i++ // Ruby allows single underscores between digits
		}
	}
	if neg {
		return -n
	}
	return n
}
