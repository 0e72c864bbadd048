package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
)

// The Ruby client's V2 pact was written by pact-ruby-v2 (the Rust FFI), which
// stores query parameters sorted by name. The real client sends the matrix
// selectors interleaved (q[][pacticipant]=Foo&q[][version]=1.2.3&
// q[][pacticipant]=Bar&...), and Rack (like pactledger) starts a new selector
// only when the key being set already exists in the last one, so the sorted
// form means something else. The Pact Broker's own verification harness
// (spec/service_consumers/hal_relation_proxy_app.rb, QUERY_STRING_REPLACEMENTS)
// puts them back in the order the client sends; so does this table.
//
// Each entry maps the pact's sorted query (decoded pairs joined by "&") to the
// client's order. Only the order changes: TestConformanceRewriteTable checks
// every replacement is a permutation of its original, and that every matrix
// query of the pact with two or more selectors has an entry.
//
// One difference from the Ruby table: it also rewrites the Wiffle/Meep query
// ("a request for the compatibility matrix for a pacticipant that does not
// exist"), which the Ruby harness sends sorted. Both forms are invalid (the
// pact type-matches the 400's error messages), but only the interleaved one is
// what the client sends, so the broker's answer is the one the client gets.
var conformanceQueryRewrites = map[string]string{
	"latestby=cvpv&q[][pacticipant]=Foo Thing&q[][pacticipant]=Bar&q[][version]=1.2.3&q[][version]=4.5.6": "q[][pacticipant]=Foo Thing&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=4.5.6&latestby=cvpv",

	"latestby=cvpv&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.3&q[][version]=4.5.6": "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=4.5.6&latestby=cvpv",

	"latestby=cvpv&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.3&q[][version]=9.9.9": "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=9.9.9&latestby=cvpv",

	"latestby=cvpv&q[][pacticipant]=Wiffle&q[][pacticipant]=Meep&q[][version]=1.2.3&q[][version]=9.9.9": "q[][pacticipant]=Wiffle&q[][version]=1.2.3&q[][pacticipant]=Meep&q[][version]=9.9.9&latestby=cvpv",

	"latestby=cvpv&q[][latest]=true&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][tag]=prod&q[][version]=1.2.3": "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=prod&latestby=cvpv",

	"latestby=cvpv&q[][latest]=true&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.4": "q[][pacticipant]=Foo&q[][version]=1.2.4&q[][pacticipant]=Bar&q[][latest]=true&latestby=cvpv",

	"ignore[][pacticipant]=Foo&ignore[][version]=3.4.5&latestby=cvpv&q[][pacticipant]=Bar&q[][pacticipant]=Foo&q[][tag]=prod&q[][version]=4.5.6": "q[][pacticipant]=Bar&q[][version]=4.5.6&q[][pacticipant]=Foo&q[][tag]=prod&latestby=cvpv&ignore[][pacticipant]=Foo&ignore[][version]=3.4.5",
}

// queryPairs decodes a raw query string into its pairs, in order, as
// "key=value" strings ('+' is a space, as in a form). It reports false when
// a pair does not decode.
func queryPairs(raw string) ([]string, bool) {
	if raw == "" {
		return nil, true
	}
	var out []string
	for part := range strings.SplitSeq(raw, "&") {
		k, v, _ := strings.Cut(part, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, false
		}
		out = append(out, dk+"="+dv)
	}
	return out, true
}

// encodeQueryPairs is the inverse of queryPairs: each key and value escaped
// for a query.
func encodeQueryPairs(pairs []string) string {
	enc := make([]string, len(pairs))
	for i, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		enc[i] = url.QueryEscape(k) + "=" + url.QueryEscape(v)
	}
	return strings.Join(enc, "&")
}

// rewriteConformanceQuery returns the client's order of a sorted pact query,
// or raw unchanged when the table has no entry for it.
func rewriteConformanceQuery(raw string) (string, bool) {
	pairs, ok := queryPairs(raw)
	if !ok {
		return raw, false
	}
	to, ok := conformanceQueryRewrites[strings.Join(pairs, "&")]
	if !ok {
		return raw, false
	}
	return encodeQueryPairs(strings.Split(to, "&")), true
}

// withConformanceQueryRewrite restores the client's selector order before
// next sees the request.
func withConformanceQueryRewrite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q, ok := rewriteConformanceQuery(r.URL.RawQuery); ok {
			r2 := r.Clone(r.Context())
			r2.URL.RawQuery = q
			r2.RequestURI = r2.URL.RequestURI()
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// TestConformanceRewriteTable keeps the rewrite table honest: a replacement
// only reorders pairs, it matches the queries the pact holds, and every
// pact matrix query with more than one selector is rewritten.
func TestConformanceRewriteTable(t *testing.T) {
	for from, to := range conformanceQueryRewrites {
		a, b := strings.Split(from, "&"), strings.Split(to, "&")
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("rewrite of %q is not a permutation: %q", from, to)
		}
		// The verifier's encoding (%5B%5D, '+' for a space, "1.2.3" or
		// "1%2e2%2e3") must all decode to the table key.
		for _, raw := range []string{encodeQueryPairs(strings.Split(from, "&")),
			strings.NewReplacer("[", "%5B", "]", "%5D", " ", "+", ".", "%2e").Replace(from)} {
			got, ok := rewriteConformanceQuery(raw)
			if !ok || got != encodeQueryPairs(strings.Split(to, "&")) {
				t.Errorf("rewrite(%q) = %q, %v; want %q", raw, got, ok, to)
			}
		}
	}
	if got, ok := rewriteConformanceQuery("q%5B%5D%5Bpacticipant%5D=Foo&latestby=cvp"); ok {
		t.Errorf("a query without an entry was rewritten to %q", got)
	}

	path := conformancePactPath()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("pact file %s: %v", path, err)
	}
	var pact struct {
		Interactions []struct {
			Description string
			Request     struct {
				Path  string
				Query string
			}
		}
	}
	if err := json.Unmarshal(raw, &pact); err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, in := range pact.Interactions {
		pairs, ok := queryPairs(in.Request.Query)
		if !ok {
			t.Fatalf("%s: query %q does not decode", in.Description, in.Request.Query)
		}
		key := strings.Join(pairs, "&")
		selectors, attributes := 0, 0
		for _, p := range pairs {
			if strings.HasPrefix(p, "q[][pacticipant]=") {
				selectors++
			} else if strings.HasPrefix(p, "q[][") {
				attributes++
			}
		}
		_, has := conformanceQueryRewrites[key]
		if has {
			used[key] = true
		}
		// Sorted, two selectors with more than a name are mixed up.
		if in.Request.Path == "/matrix" && selectors > 1 && attributes > 0 && !has {
			t.Errorf("%s: matrix query with %d selectors has no rewrite: %q", in.Description, selectors, key)
		}
	}
	for from := range conformanceQueryRewrites {
		if !used[from] {
			t.Errorf("rewrite entry matches no query of the pact: %q", from)
		}
	}
}
