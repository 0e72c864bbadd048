package openapicompare

import (
	"net/url"
	"regexp"
	"strings"
)

// router finds the operation for a method and path, following OPC's
// find-my-way router: static segments beat templated ones (compared left to
// right), path parameters match within one segment and are percent-decoded,
// matching is case-sensitive unless x-opc-config-case-insensitive is set.
type router struct {
	routes []*route
	config config
}

type route struct {
	op *operation
	// prefix is the literal text before the first template parameter, a
	// cheap filter before the regular expression runs.
	prefix   string
	pattern  *regexp.Regexp
	names    []string // parameter names in pattern group order
	segments []bool   // per segment: true when static
}

// templateParam matches "{id}", "{id*}", "{.id}" (label) and "{;id}"
// (matrix); the "." or ";" prefix is literal text of the path, as in OPC.
var templateParam = regexp.MustCompile(`\{([.;]?)([^}*]+?)\*?\}`)

var wildcards = regexp.MustCompile(`\*+`)

func newRouter(ops []*operation, cfg config) *router {
	r := &router{config: cfg}
	for _, op := range ops {
		full := cfg.basePath + op.path
		if cfg.ignoreDuplicateSlash {
			full = collapseSlashes(full)
		}
		if cfg.ignoreTrailingSlash && len(full) > 1 {
			full = strings.TrimSuffix(full, "/")
		}
		var names []string
		var pattern strings.Builder
		pattern.WriteString("^")
		if cfg.caseInsensitive {
			pattern.WriteString("(?i)")
		}
		last := 0
		for _, m := range templateParam.FindAllStringSubmatchIndex(full, -1) {
			pattern.WriteString(literalPattern(full[last:m[0]]))
			pattern.WriteString(regexp.QuoteMeta(full[m[2]:m[3]]))
			pattern.WriteString("([^/]+)")
			names = append(names, full[m[4]:m[5]])
			last = m[1]
		}
		pattern.WriteString(literalPattern(full[last:]))
		pattern.WriteString("$")
		re, err := regexp.Compile(pattern.String())
		if err != nil {
			continue
		}
		prefix, _, _ := strings.Cut(full, "{")
		prefix, _, _ = strings.Cut(prefix, "*")
		if cfg.caseInsensitive {
			prefix = ""
		}
		var segs []bool
		for _, seg := range strings.Split(full, "/") {
			segs = append(segs, !strings.ContainsAny(seg, "{*"))
		}
		r.routes = append(r.routes, &route{op: op, prefix: prefix, pattern: re, names: names, segments: segs})
	}
	return r
}

// find returns the operation and its decoded path parameters, or nil.
func (r *router) find(method, path string) (*operation, map[string]string) {
	method = strings.ToLower(method)
	if r.config.ignoreDuplicateSlash {
		path = collapseSlashes(path)
	}
	if r.config.ignoreTrailingSlash && len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	if _, err := url.PathUnescape(path); err != nil && !r.config.noPercentEncoding {
		return nil, nil // a malformed percent-encoding is a bad URL, as in find-my-way
	}
	var best *route
	var bestMatch []string
	for _, rt := range r.routes {
		if rt.op.method != method || !strings.HasPrefix(path, rt.prefix) {
			continue
		}
		m := rt.pattern.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		if best == nil || moreStatic(rt, best) {
			best, bestMatch = rt, m
		}
	}
	if best == nil {
		return nil, nil
	}
	params := make(map[string]string, len(best.names))
	for i, name := range best.names {
		v := bestMatch[i+1]
		if r.config.noPercentEncoding {
			// OPC escapes "%" before routing, so values stay as written.
		} else if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		params[name] = v
	}
	return best.op, params
}

// moreStatic reports whether a beats b: the first segment where one is
// static and the other templated decides; otherwise the one with fewer
// parameters wins.
func moreStatic(a, b *route) bool {
	for i := 0; i < len(a.segments) && i < len(b.segments); i++ {
		if a.segments[i] != b.segments[i] {
			return a.segments[i]
		}
	}
	return len(a.names) < len(b.names)
}

// literalPattern quotes static path text; a "*" (OPC collapses "**" to
// "*") is a find-my-way wildcard matching the rest of the path.
func literalPattern(text string) string {
	parts := wildcards.Split(text, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, ".*")
}

func collapseSlashes(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}
