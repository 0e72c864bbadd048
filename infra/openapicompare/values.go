package openapicompare

import (
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// parseQuery parses a query string (or form body) the way OPC's qs call
// does. With nested set (qs allowDots+comma): "a[b]=1" and "a.b=1" give
// objects, "a=1,2" gives an array. Repeated names always give an array.
// Names and values are percent-decoded ("+" is a space).
func parseQuery(q string, nested bool) map[string]any {
	out := map[string]any{}
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		pos := strings.Index(part, "]=")
		if pos >= 0 {
			pos++
		} else {
			pos = strings.Index(part, "=")
		}
		var rawKey, rawVal string
		if pos < 0 {
			rawKey = part
		} else {
			rawKey, rawVal = part[:pos], part[pos+1:]
		}
		key := decodeComponent(rawKey)
		if key == "" {
			continue
		}
		var val any = decodeComponent(rawVal)
		if nested && strings.Contains(rawVal, ",") {
			parts := strings.Split(rawVal, ",")
			list := make([]any, len(parts))
			for i, p := range parts {
				list[i] = decodeComponent(p)
			}
			val = list
		}
		path := []string{key}
		if nested {
			path = splitQueryKey(key)
		}
		assignPath(out, path, val)
	}
	if nested {
		for k, v := range out {
			out[k] = compactArrays(v)
		}
	}
	return out
}

func decodeComponent(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

var (
	dotSegment     = regexp.MustCompile(`\.([^.\[]+)`)
	bracketSegment = regexp.MustCompile(`\[([^\[\]]*)\]`)
)

// splitQueryKey splits "a[b][c]" and "a.b.c" into [a b c] (at most 5
// levels, like qs; text after the last bracket is dropped like qs does).
func splitQueryKey(key string) []string {
	key = dotSegment.ReplaceAllString(key, "[$1]")
	first := strings.Index(key, "[")
	if first <= 0 {
		if first == 0 {
			return []string{key}
		}
		return []string{key}
	}
	path := []string{key[:first]}
	for _, m := range bracketSegment.FindAllStringSubmatch(key[first:], 5) {
		path = append(path, m[1])
	}
	return path
}

// assignPath stores val at path, combining with an existing value into an
// array as qs does for repeated names.
func assignPath(m map[string]any, path []string, val any) {
	for i, seg := range path {
		if seg == "" && i > 0 {
			seg = strconv.Itoa(len(m))
		}
		if i == len(path)-1 {
			if prev, ok := m[seg]; ok {
				m[seg] = combine(prev, val)
			} else {
				m[seg] = val
			}
			return
		}
		next, ok := m[seg].(map[string]any)
		if !ok {
			next = map[string]any{}
			if prev, exists := m[seg]; exists {
				if list, isList := prev.([]any); isList {
					for j, e := range list {
						next[strconv.Itoa(j)] = e
					}
				} else {
					next["0"] = prev
				}
			}
			m[seg] = next
		}
		m = next
	}
}

func combine(a, b any) any {
	var out []any
	for _, v := range []any{a, b} {
		if l, ok := v.([]any); ok {
			out = append(out, l...)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// compactArrays turns objects whose keys are all small indexes (qs'
// arrayLimit is 20) into arrays, in index order.
func compactArrays(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	idx := make([]int, 0, len(m))
	allIndexes := len(m) > 0
	for k, e := range m {
		m[k] = compactArrays(e)
		n, err := strconv.Atoi(k)
		if err != nil || n < 0 || n > 20 {
			allIndexes = false
			continue
		}
		idx = append(idx, n)
	}
	if !allIndexes {
		return m
	}
	sort.Ints(idx)
	out := make([]any, len(idx))
	for i, n := range idx {
		out[i] = m[strconv.Itoa(n)]
	}
	return out
}

// parseParamValue is OPC's parseValue for header and path values whose
// schema is not a string: "k=v,k2=v2" → object, "a,b" → array, else as is.
func parseParamValue(s string) any {
	switch {
	case strings.Contains(s, "="):
		return parseQuery(strings.ReplaceAll(s, ",", "&"), true)
	case strings.Contains(s, ","):
		parts := strings.Split(s, ",")
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out
	default:
		return s
	}
}

// parseBody parses form bodies given as strings: x-www-form-urlencoded with
// the query parser (nested unless the legacy parser is asked for),
// multipart/form-data by its boundary. Other bodies are returned unchanged;
// isForm reports whether the body was parsed.
func parseBody(body any, contentType string, nested bool) (value any, isForm bool) {
	s, ok := body.(string)
	if !ok {
		return body, false
	}
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "application/x-www-form-urlencoded") {
		return parseQuery(s, nested), true
	}
	if strings.Contains(ct, "multipart/form-data") {
		_, params, err := mime.ParseMediaType(contentType)
		if err != nil || params["boundary"] == "" {
			return body, false
		}
		r := multipart.NewReader(strings.NewReader(s), params["boundary"])
		out := map[string]any{}
		for {
			p, err := r.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(p)
			out[p.FormName()] = string(data)
		}
		return out, true
	}
	return body, false
}
