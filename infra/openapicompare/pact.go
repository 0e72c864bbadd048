package openapicompare

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// interaction is one HTTP interaction of a pact, normalised the way OPC's
// pact parser does: header names lower-cased with multi-values joined by
// ",", the query kept as a query string, V4 bodies decoded.
type interaction struct {
	index       int
	description string
	state       string

	method string
	path   string
	// query is the request query as a query string ("a=1&b=2"); a V3/V4
	// map query is joined the way OPC joins it (values with ",").
	query      string
	hasQuery   bool
	rawQuery   any
	reqHeaders headers
	rawReqHdrs any
	reqBody    any
	hasReqBody bool

	status     int
	resHeaders headers
	resBody    any
	hasResBody bool
}

// failedNegative reports whether the interaction is a "negative scenario"
// (status >= 400), for which request checks are skipped.
func (i *interaction) negative() bool { return i.status >= 400 }

// headers is a case-insensitive header set: names are lower-cased, and
// iteration is in name order (as the Fetch Headers class iterates in OPC).
type headers map[string]string

func (h headers) get(name string) (string, bool) {
	v, ok := h[strings.ToLower(name)]
	return v, ok
}

func (h headers) names() []string {
	out := make([]string, 0, len(h))
	for k := range h {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (h headers) clone() headers {
	out := make(headers, len(h))
	for k, v := range h {
		out[k] = v
	}
	return out
}

// errPact marks a pact that cannot be compared at all.
var errPact = errors.New("malformed pact file")

// parsePact decodes a pact document into its HTTP interactions. Message
// interactions (V3 messages, V4 "Asynchronous/Messages",
// "Synchronous/Messages") are skipped. A document that is not JSON, has no
// interactions array, or has an HTTP interaction without method, path or
// status is an error wrapping errPact.
func parsePact(data []byte) ([]interaction, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %v", errPact, err)
	}
	raw, ok := doc["interactions"]
	if !ok || raw == nil {
		return nil, nil // a message pact, or nothing to compare (as OPC)
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%w: interactions is not an array", errPact)
	}
	v4 := pactSpecVersion(doc["metadata"]) >= 4
	var out []interaction
	for idx, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			continue
		}
		if t, ok := obj["type"].(string); ok && !strings.EqualFold(t, "Synchronous/HTTP") {
			continue
		}
		if _, hasType := obj["type"]; hasType {
			if _, isString := obj["type"].(string); !isString {
				continue
			}
		}
		in, err := parseInteraction(idx, obj, v4)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func pactSpecVersion(meta any) int {
	m, _ := meta.(map[string]any)
	var s string
	if ps, ok := m["pactSpecification"].(map[string]any); ok {
		s, _ = ps["version"].(string)
	}
	if s == "" {
		s, _ = m["pactSpecificationVersion"].(string)
	}
	if s == "" {
		if ps, ok := m["pact-specification"].(map[string]any); ok {
			s, _ = ps["version"].(string)
		}
	}
	major, _, _ := strings.Cut(strings.TrimSpace(s), ".")
	n, _ := strconv.Atoi(major)
	return n
}

func parseInteraction(idx int, obj map[string]any, v4 bool) (interaction, error) {
	in := interaction{index: idx}
	in.description, _ = obj["description"].(string)
	in.state, _ = obj["providerState"].(string)
	if in.state == "" {
		if states, ok := obj["providerStates"].([]any); ok && len(states) > 0 {
			if st, ok := states[0].(map[string]any); ok {
				in.state, _ = st["name"].(string)
			}
		}
	}
	req, ok := obj["request"].(map[string]any)
	if !ok {
		return in, fmt.Errorf("%w: interactions[%d] has no request", errPact, idx)
	}
	res, ok := obj["response"].(map[string]any)
	if !ok {
		return in, fmt.Errorf("%w: interactions[%d] has no response", errPact, idx)
	}
	if in.method, ok = req["method"].(string); !ok {
		return in, fmt.Errorf("%w: interactions[%d].request.method is missing", errPact, idx)
	}
	if in.path, ok = req["path"].(string); !ok {
		return in, fmt.Errorf("%w: interactions[%d].request.path is missing", errPact, idx)
	}
	status, ok := res["status"].(json.Number)
	if !ok {
		return in, fmt.Errorf("%w: interactions[%d].response.status is missing", errPact, idx)
	}
	st, err := status.Int64()
	if err != nil {
		return in, fmt.Errorf("%w: interactions[%d].response.status is not an integer", errPact, idx)
	}
	in.status = int(st)

	in.rawQuery = req["query"]
	in.query, in.hasQuery, err = queryString(req["query"])
	if err != nil {
		return in, fmt.Errorf("%w: interactions[%d].request.query: %v", errPact, idx, err)
	}
	in.rawReqHdrs = req["headers"]
	if in.reqHeaders, err = flattenHeaders(req["headers"]); err != nil {
		return in, fmt.Errorf("%w: interactions[%d].request.headers: %v", errPact, idx, err)
	}
	if in.resHeaders, err = flattenHeaders(res["headers"]); err != nil {
		return in, fmt.Errorf("%w: interactions[%d].response.headers: %v", errPact, idx, err)
	}
	in.reqBody, in.hasReqBody = body(req, v4)
	in.resBody, in.hasResBody = body(res, v4)
	return in, nil
}

// body returns the interaction body; V4 bodies {content, contentType,
// encoded} are decoded (encoded "JSON" parsed, other encodings such as
// base64 decoded, failures give the raw content).
func body(side map[string]any, v4 bool) (any, bool) {
	b, ok := side["body"]
	if !ok {
		return nil, false
	}
	if !v4 {
		return b, true
	}
	if b == nil {
		return nil, false
	}
	obj, ok := b.(map[string]any)
	if !ok {
		return b, true
	}
	content, hasContent := obj["content"]
	if !hasContent {
		content = ""
	}
	enc, _ := obj["encoded"].(string)
	s, isString := content.(string)
	if enc == "" || !isString {
		return content, true
	}
	switch strings.ToLower(enc) {
	case "json":
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err == nil {
			return v, true
		}
	case "base64":
		if d, err := base64.StdEncoding.DecodeString(s); err == nil {
			return string(d), true
		}
	case "hex":
		if d, err := hex.DecodeString(s); err == nil {
			return string(d), true
		}
	}
	return s, true
}

// flattenHeaders turns a pact header object (values string or []string)
// into a headers set; \r, \n and NUL are removed from values as OPC does.
func flattenHeaders(raw any) (headers, error) {
	h := headers{}
	if raw == nil {
		return h, nil
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, errors.New("not an object")
	}
	for k, v := range obj {
		val, err := joinValues(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", k, err)
		}
		name := strings.ToLower(k)
		if prev, ok := h[name]; ok {
			val = prev + ", " + val
		}
		h[name] = val
	}
	return h, nil
}

var cleanString = strings.NewReplacer("\r", "", "\n", "", "\x00", "")

func joinValues(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return cleanString.Replace(x), nil
	case []any:
		parts := make([]string, 0, len(x))
		for _, p := range x {
			s, ok := p.(string)
			if !ok {
				s = fmt.Sprint(p)
			}
			parts = append(parts, cleanString.Replace(s))
		}
		return strings.Join(parts, ","), nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "", nil
	default:
		return "", fmt.Errorf("unsupported value %T", v)
	}
}

// queryString renders a pact query (V2 string, V3/V4 map of string or
// string-array values) as one query string, the way OPC does before routing:
// map entries become name=v1,v2 joined with "&", in name order.
func queryString(raw any) (string, bool, error) {
	switch q := raw.(type) {
	case nil:
		return "", false, nil
	case string:
		return q, q != "", nil
	case map[string]any:
		names := make([]string, 0, len(q))
		for k := range q {
			names = append(names, k)
		}
		sort.Strings(names)
		parts := make([]string, 0, len(names))
		for _, k := range names {
			val, err := joinValues(q[k])
			if err != nil {
				return "", false, fmt.Errorf("%s: %v", k, err)
			}
			parts = append(parts, k+"="+val)
		}
		s := strings.Join(parts, "&")
		return s, s != "", nil
	default:
		return "", false, fmt.Errorf("unsupported query %T", raw)
	}
}
