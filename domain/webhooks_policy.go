package domain

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// WebhookPolicy holds the allow-lists every webhook request must pass, at
// definition time and again before anything is sent (the configuration may
// have changed since the webhook was defined). It is the Pact Broker's
// webhook_http_method_whitelist, webhook_scheme_whitelist and
// webhook_host_whitelist. The zero value is the Pact Broker's default: POST,
// https, any host.
//
// An empty host allow-list lets webhooks to any host be defined, as in the
// Pact Broker, but unlike the Pact Broker nothing is then sent (see
// CheckDeliveryHost): a webhook could otherwise reach any host the server
// can, internal ones included.
type WebhookPolicy struct {
	// Methods are the allowed HTTP methods, compared without case; empty
	// means POST.
	Methods []string
	// Schemes are the allowed URL schemes, compared without case; empty
	// means https.
	Schemes []string
	// Hosts, when not empty, are the only hosts a webhook may call. An
	// entry is a host name (exact, without case), "*.example.com" (one
	// label under example.com), an IP address or CIDR range (matching IP
	// hosts only), or "/regexp/" (a Go regular expression on the host).
	Hosts []string
}

// ParseAllowList splits a configured list on white space (as the Pact
// Broker's PACT_BROKER_WEBHOOK_*_WHITELIST variables are written) and on
// commas. Hazard: a /regexp/ entry therefore cannot contain either.
func ParseAllowList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// Check reports a configuration error: a host entry that is neither a
// valid regexp nor a usable name, or an empty method or scheme.
func (p WebhookPolicy) Check() error {
	for _, h := range p.Hosts {
		if re, ok := strings.CutPrefix(h, "/"); ok && strings.HasSuffix(re, "/") && len(re) > 1 {
			if _, err := regexp.Compile(strings.TrimSuffix(re, "/")); err != nil {
				return fmt.Errorf("webhook host allow-list entry %q: %w", h, err)
			}
		}
	}
	for _, m := range p.Methods {
		if !recognisedMethod(m) {
			return fmt.Errorf("webhook method allow-list entry %q is not an HTTP method", m)
		}
	}
	return nil
}

func (p WebhookPolicy) methods() []string {
	if len(p.Methods) == 0 {
		return []string{"POST"}
	}
	return p.Methods
}

func (p WebhookPolicy) schemes() []string {
	if len(p.Schemes) == 0 {
		return []string{"https"}
	}
	return p.Schemes
}

// httpMethods are the methods the Pact Broker recognises (Net::HTTP's
// request classes).
var httpMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"}

func recognisedMethod(m string) bool {
	for _, x := range httpMethods {
		if strings.EqualFold(m, x) {
			return true
		}
	}
	return false
}

// CheckMethod returns the Pact Broker's message for a method that is not
// recognised or not allowed, or "".
func (p WebhookPolicy) CheckMethod(method string) string {
	if !recognisedMethod(method) {
		return "is not a recognised HTTP method"
	}
	allowed := p.methods()
	for _, m := range allowed {
		if strings.EqualFold(m, method) {
			return ""
		}
	}
	if len(allowed) == 1 {
		return "must be " + allowed[0] + ". See /doc/webhooks#whitelist for more information."
	}
	return "must be one of " + strings.Join(allowed, ", ") + ". See /doc/webhooks#whitelist for more information."
}

// templateParameter matches a ${pactbroker.*} template parameter.
var templateParameter = regexp.MustCompile(`\$\{pactbroker\.[^}]+\}`)

// CheckURL returns the Pact Broker's first message for a URL (a template:
// parameters may appear outside the host) that is invalid, has a parameter
// in its host, or has a scheme or host that is not allowed; "" if it passes.
func (p WebhookPolicy) CheckURL(raw string) string {
	u, err := url.Parse(templateParameter.ReplaceAllString(raw, "placeholder"))
	if err != nil || u.Scheme == "" || u.Host == "" || u.Hostname() == "" {
		return "is not a valid URL eg. http://example.org"
	}
	other, err := url.Parse(templateParameter.ReplaceAllString(raw, "differentplaceholder"))
	if err != nil || other.Hostname() != u.Hostname() {
		return "cannot have a template parameter in the host"
	}
	if !p.SchemeAllowed(u.Scheme) {
		return "scheme must be " + strings.Join(p.schemes(), ", ") + ". See /doc/webhooks#whitelist for more information."
	}
	if !p.HostAllowed(u.Hostname()) {
		quoted := make([]string, len(p.Hosts))
		for i, h := range p.Hosts {
			if isRegexpEntry(h) {
				quoted[i] = h
			} else {
				quoted[i] = strconv.Quote(h)
			}
		}
		return "host must be in the whitelist " + strings.Join(quoted, ", ") + ". See /doc/webhooks#whitelist for more information."
	}
	return ""
}

// SchemeAllowed reports whether a URL scheme is in the allow-list.
func (p WebhookPolicy) SchemeAllowed(scheme string) bool {
	for _, s := range p.schemes() {
		if strings.EqualFold(s, scheme) {
			return true
		}
	}
	return false
}

// HostAllowed reports whether host (no port, no brackets) passes the host
// allow-list; every host does when the list is empty.
func (p WebhookPolicy) HostAllowed(host string) bool {
	if len(p.Hosts) == 0 {
		return true
	}
	for _, entry := range p.Hosts {
		if hostMatches(host, entry) {
			return true
		}
	}
	return false
}

func isRegexpEntry(e string) bool { return len(e) > 2 && e[0] == '/' && e[len(e)-1] == '/' }

// hostMatches applies one allow-list entry the way the Pact Broker does:
// an IP host matches only IP and CIDR entries; otherwise a regexp, a
// one-label wildcard, or an exact name.
func hostMatches(host, entry string) bool {
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		if prefix, err := netip.ParsePrefix(entry); err == nil {
			return prefix.Contains(ip)
		}
		if addr, err := netip.ParseAddr(entry); err == nil {
			return addr.Unmap() == ip
		}
		return false
	}
	switch {
	case isRegexpEntry(entry):
		re, err := regexp.Compile(entry[1 : len(entry)-1])
		return err == nil && re.MatchString(host)
	case strings.HasPrefix(entry, "*."):
		suffix := strings.ToLower(entry[1:])
		h := strings.ToLower(host)
		label, ok := strings.CutSuffix(h, suffix)
		return ok && label != "" && !strings.Contains(label, ".")
	default:
		return strings.EqualFold(host, entry)
	}
}
