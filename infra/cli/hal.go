package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// at walks decoded JSON through object keys; anything missing is nil.
func at(v any, keys ...string) any {
	for _, k := range keys {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

// str is the string (or number or boolean, printed) at keys, or "".
func str(v any, keys ...string) string {
	switch t := at(v, keys...).(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return fmt.Sprint(t)
	}
	return ""
}

// list is the array at keys, or nil.
func list(v any, keys ...string) []any {
	l, _ := at(v, keys...).([]any)
	return l
}

// escapeSegment percent-encodes every byte except A-Z a-z 0-9 - _ . ~, as
// the pact-broker CLI fills templated links: "feat/x" → "feat%2Fx",
// "a b" → "a%20b", "1+2" → "1%2B2".
func escapeSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// expand fills {name} placeholders with percent-encoded values.
func expand(template string, vars map[string]string) string {
	for k, v := range vars {
		template = strings.ReplaceAll(template, "{"+k+"}", escapeSegment(v))
	}
	return template
}

// path is the base URL (context path included) joined with encoded segments.
func (c *client) path(segments ...string) string {
	var b strings.Builder
	b.WriteString(c.base.String())
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	return b.String()
}

// follow turns an href from a response into a request URL. As the
// pact-broker CLI does, it keeps the href's path (and query) but the base
// URL's scheme and host, so a server that renders the wrong host in its
// links still works.
func (c *client) follow(href string) (string, error) {
	u, err := url.Parse(href)
	if err != nil || !strings.HasPrefix(u.EscapedPath(), "/") {
		return "", fmt.Errorf("the Pact Broker sent an unusable link %q", href)
	}
	out := *c.base
	out.Path, out.RawPath, out.RawQuery = u.Path, u.RawPath, u.RawQuery
	return out.String(), nil
}

// withQuery appends name=value (percent-encoded) to a URL.
func withQuery(target, name, value string) string {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + name + "=" + escapeSegment(value)
}

// relation returns the index's rel link with its placeholders filled.
func (c *client) relation(ctx context.Context, rel string, vars map[string]string) (string, error) {
	if c.index == nil {
		idx, err := c.get(ctx, c.base.String())
		if err != nil {
			return "", err
		}
		c.index = idx
	}
	href := str(c.index, "_links", rel, "href")
	if href == "" {
		return "", fmt.Errorf("Could not find relation '%s' in the Pact Broker's index", rel)
	}
	return c.follow(expand(href, vars))
}
