package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
)

// Pact URL metadata is what the Pact Broker puts in the /metadata/{m}
// segment of the pact URLs it hands to verifiers: URL-safe base64 (no
// padding) of a Rack nested query such as "s[][b]=main&s[][l]=true&p=true".
// Publishing results through such a URL records the WIP and pending flags
// and the selectors.

// selectorKeys expands the short keys of metadata selectors.
var selectorKeys = map[string]string{"b": "branch", "t": "tag", "l": "latest", "e": "environment", "cv": "consumerVersionId",
	"cvn": "consumerVersionNumber", "cvt": "consumerVersionTags"}

// pactMetadata encodes a metadata query into a path segment.
func pactMetadata(query string) string { return base64.RawURLEncoding.EncodeToString([]byte(query)) }

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
		case k == "w":
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
			if v == "true" || v == "false" {
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
