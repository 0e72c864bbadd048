package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/pactledger/pactledger/queries"
)

// Pact URL metadata is what the Pact Broker puts in the /metadata/{m}
// segment of the pact URLs it hands to verifiers: URL-safe base64 (no
// padding) of a Rack nested query. This file is the one place that writes
// and reads it.
//
// Written by pacts-for-verification (verifiableMetadata):
//
//	selected pact: s[][cvn]=<consumer version>&s[][b]=<branch>&s[][t]=<tag>&s[][l]=<latest>&s[][e]=<environment>
//	               ... one group per selector, then p=<pending> when the pending status was asked for
//	WIP pact:      w=true
//
// Keys and values are escaped as Rack's build_nested_query escapes them
// ("s%5B%5D%5Bb%5D=main"). Short keys: cvt consumer_version_tags, cvn
// consumer_version_number, cv consumer_version_id, w wip, p pending, s
// consumer_version_selectors, t tag, b branch, e environment, l latest.
// pactledger writes cvn (the version number) where the Pact Broker writes
// cv (its database id): both name the consumer version, and the Pact Broker
// reads either. cvn comes first in each group: Rack starts a new array
// element when a key repeats, so a key every group has must lead, or a
// group lacking "b" would lend the next group's "b" to the previous one.
//
// Read when results are published through such a URL (decodePactMetadata):
// w and p become the result's WIP and pending flags, the s groups its
// selectors (keys expanded, l as a boolean). The verification-result
// resource's pb:pact-version link carries cvn=<version> alone.

// selectorKeys expands the short keys of metadata selectors.
var selectorKeys = map[string]string{"b": "branch", "t": "tag", "l": "latest", "e": "environment", "cv": "consumerVersionId",
	"cvn": "consumerVersionNumber", "cvt": "consumerVersionTags"}

// pactMetadata encodes a metadata query into a path segment.
func pactMetadata(query string) string { return base64.RawURLEncoding.EncodeToString([]byte(query)) }

// metadataEscape escapes as Ruby's URI.encode_www_form_component, which Rack's
// build_nested_query uses: letters, digits and *-._ stay, a space is "+".
func metadataEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("*-._", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// verifiableMetadata is the metadata segment of a pact for verification's
// self link; includePending adds p.
func verifiableMetadata(p queries.VerifiablePact, includePending bool) string {
	var pairs []string
	add := func(k, v string) {
		if v != "" {
			pairs = append(pairs, metadataEscape(k)+"="+metadataEscape(v))
		}
	}
	if p.WIP {
		add("w", "true")
		return pactMetadata(strings.Join(pairs, "&"))
	}
	for _, s := range p.Selectors {
		add("s[][cvn]", s.ConsumerVersion)
		add("s[][b]", s.Branch)
		add("s[][t]", s.Tag)
		if s.Latest != nil {
			add("s[][l]", strconv.FormatBool(*s.Latest))
		}
		add("s[][e]", s.Environment)
	}
	if includePending {
		add("p", strconv.FormatBool(p.Pending))
	}
	return pactMetadata(strings.Join(pairs, "&"))
}

// decodePactMetadata reads the WIP and pending flags and the selectors from
// a metadata segment. Metadata that does not decode is ignored, as the Pact
// Broker ignores it: it never makes a result unpublishable.
func decodePactMetadata(segment string) (wip, pending bool, selectors json.RawMessage) {
	if segment == "" {
		return false, false, nil
	}
	seg, err := url.PathUnescape(segment)
	if err != nil {
		return false, false, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return false, false, nil
	}
	var sels []map[string]any
	for _, pair := range strings.Split(string(raw), "&") {
		k, v, _ := strings.Cut(pair, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		switch {
		case k == "w" || k == "wip": // the notices' URL spells it out
			wip = v == "true"
		case k == "p":
			pending = v == "true"
		case strings.HasPrefix(k, "s[][") && strings.HasSuffix(k, "]"):
			name := k[len("s[][") : len(k)-1]
			if full, ok := selectorKeys[name]; ok {
				name = full
			}
			// Rack starts a new array element when a key repeats.
			if len(sels) == 0 || sels[len(sels)-1][name] != nil {
				sels = append(sels, map[string]any{})
			}
			var val any = v
			if name == "latest" && (v == "true" || v == "false") {
				val = v == "true"
			}
			sels[len(sels)-1][name] = val
		}
	}
	if len(sels) > 0 {
		selectors, _ = json.Marshal(sels)
	}
	return wip, pending, selectors
}
