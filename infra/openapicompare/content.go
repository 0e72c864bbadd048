package openapicompare

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// findMatchingType is OPC's content negotiation (reference/bdct.md §2.5):
// the request type (an Accept or Content-Type value, possibly a list with q
// values) is matched against the available media types, trying in order an
// exact match (case and whitespace insensitive), a match ignoring
// parameters, the same type and suffix-reduced subtype
// (application/vnd.api+json ~ application/json), a wildcard among the
// available types, and a wildcard in the request. It returns the matching
// available type, or "" when none matches.
func findMatchingType(requestType string, available []string) string {
	accept := strings.Split(requestType, ",")
	for i := range accept {
		accept[i] = strings.ToLower(removeWhitespace(accept[i]))
	}
	sort.SliceStable(accept, func(a, b int) bool { return quality(accept[a]) > quality(accept[b]) })
	for i := range accept {
		accept[i] = qualityParam.ReplaceAllString(accept[i], "")
	}
	avail := make([]string, len(available))
	for i, t := range available {
		avail[i] = strings.ToLower(removeWhitespace(t))
	}
	for _, a := range accept {
		for i, t := range avail {
			if t == a {
				return available[i]
			}
		}
	}
	for i := range accept {
		accept[i] = withoutParameters(accept[i])
	}
	for i := range avail {
		avail[i] = withoutParameters(avail[i])
	}
	for _, a := range accept {
		for i, t := range avail {
			if t == a {
				return available[i]
			}
		}
	}
	for _, a := range accept {
		for i, t := range avail {
			if mainType(t) == mainType(a) && subType(t) == subType(a) {
				return available[i]
			}
		}
	}
	for _, a := range accept {
		for i, t := range avail {
			if subType(t) == "*" && mainType(t) == mainType(a) {
				return available[i]
			}
		}
	}
	for _, t := range avail {
		if t == "*/*" {
			return "*/*"
		}
	}
	for _, a := range accept {
		for i, t := range avail {
			if subType(a) == "*" && mainType(t) == mainType(a) {
				return available[i]
			}
		}
	}
	for _, a := range accept {
		if a == "*/*" && len(available) > 0 {
			return available[0]
		}
	}
	return ""
}

var (
	qualityValue = regexp.MustCompile(`.*;q=([01].?\d*)`)
	qualityParam = regexp.MustCompile(`;q=[01].?\d*`)
)

func quality(t string) float64 {
	m := qualityValue.FindStringSubmatch(t)
	if m == nil {
		return 1
	}
	q, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 1
	}
	return q
}

func removeWhitespace(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func withoutParameters(t string) string {
	before, _, _ := strings.Cut(t, ";")
	return before
}

func mainType(t string) string {
	before, _, _ := strings.Cut(t, "/")
	return before
}

// subType returns the subtype with any structured-syntax prefix removed
// ("vnd.api+json" → "json"); "" when there is no "/".
func subType(t string) string {
	_, after, ok := strings.Cut(t, "/")
	if !ok {
		return ""
	}
	if i := strings.LastIndex(after, "+"); i >= 0 {
		return after[i+1:]
	}
	return after
}

// mediaTypeOnly strips parameters from a header value ("application/json;
// charset=utf-8" → "application/json").
func mediaTypeOnly(v string) string {
	before, _, _ := strings.Cut(v, ";")
	return before
}

// validatableMediaTypes are the body media types whose content is checked
// against a schema; bodies of other media types give *.body.unvalidatable.
var validatableMediaTypes = []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data"}

// standardRequestHeaders are never reported as request.header.unknown.
var standardRequestHeaders = setOf("accept", "accept-charset", "accept-datetime", "accept-encoding",
	"accept-language", "authorization", "cache-control", "connection", "content-length", "content-md5",
	"content-type", "cookie", "date", "expect", "forwarded", "from", "host", "if-match",
	"if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "origin",
	"pragma", "proxy-authorization", "range", "referer", "te", "upgrade", "user-agent", "via", "warning")

// standardResponseHeaders give the response.header.undefined warning instead
// of the response.header.unknown error when the spec does not declare them.
var standardResponseHeaders = []string{"access-control-allow-origin", "accept-patch", "accept-ranges", "age",
	"allow", "alt-svc", "cache-control", "connection", "content-disposition", "content-encoding",
	"content-language", "content-length", "content-location", "content-md5", "content-range", "date",
	"etag", "expires", "last-modified", "link", "location", "p3p", "pragma", "proxy-authenticate",
	"public-key-pins", "refresh", "retry-after", "server", "set-cookie", "status",
	"strict-transport-security", "trailer", "transfer-encoding", "tsv", "upgrade", "vary", "via",
	"warning", "www-authenticate", "x-frame-options"}

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}
