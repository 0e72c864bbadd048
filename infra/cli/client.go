package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Timeouts and retries of the HTTP client.
const (
	requestTimeout = 30 * time.Second
	getAttempts    = 3 // GETs are retried on transient failures; writes are not
	retryDelay     = 300 * time.Millisecond
	maxBodyBytes   = 32 << 20
	userAgent      = "pactledger-cli"
)

// client speaks HAL+JSON to one Pact Broker. Every response body it returns
// is decoded JSON (json.Number for numbers); every failure is an error whose
// message is fit for the user.
type client struct {
	base  *url.URL // the --broker-base-url, without a trailing slash
	auth  string   // the Authorization header, or ""
	http  *http.Client
	index any // GET / once fetched
	// asOf, when set ("at=…" or "position=…"), is added to every GET: the
	// server then answers from the log as it was then (history_at.go).
	asOf string
}

func newClient(c commonFlags) (*client, error) {
	base, err := url.Parse(strings.TrimRight(c.baseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("--broker-base-url must be an http(s) URL such as %s, not %q", defaultBaseURL, c.baseURL)
	}
	base.RawQuery, base.Fragment = "", ""
	cl := &client{base: base, http: &http.Client{Timeout: requestTimeout}}
	switch {
	case c.token != "":
		cl.auth = "Bearer " + c.token
	case c.username != "" || c.password != "":
		cl.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(c.username+":"+c.password))
	}
	return cl, nil
}

// httpError is a non-2xx answer. Errors holds the messages of a Pact Broker
// validation body ({"errors": …}); Notices the texts of its
// {"notices": [{type, text}]} (publish and matrix errors carry them);
// Detail its {"error": "…"}.
type httpError struct {
	Method, URL string
	Status      int
	Errors      []string
	Notices     []string
	Detail      string
}

// Error prints validation messages as they are (one per line), as the
// pact-broker CLI does; anything else names the request and the status.
func (e *httpError) Error() string {
	if len(e.Errors) > 0 {
		return strings.Join(e.Errors, "\n")
	}
	msg := fmt.Sprintf("Request %s %s failed: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Detail != "" && e.Status != http.StatusNotFound {
		msg += ": " + e.Detail
	}
	return msg
}

// isStatus reports whether err is an HTTP answer with that status.
func isStatus(err error, status int) bool {
	var he *httpError
	return errors.As(err, &he) && he.Status == status
}

// transportError is a request that got no HTTP answer.
type transportError struct{ err error }

func (e *transportError) Error() string { return "could not reach the Pact Broker: " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

func (c *client) get(ctx context.Context, target string) (any, error) {
	target = c.timeTravel(target)
	return c.do(ctx, http.MethodGet, target, "", nil)
}

func (c *client) post(ctx context.Context, target string, body any) (any, error) {
	return c.do(ctx, http.MethodPost, target, "application/json", body)
}

func (c *client) put(ctx context.Context, target string, body any) (any, error) {
	return c.do(ctx, http.MethodPut, target, "application/json", body)
}

// patch sends a JSON merge patch, as the Pact Broker requires for
// deployed-versions and released-versions.
func (c *client) patch(ctx context.Context, target string, body any) (any, error) {
	return c.do(ctx, http.MethodPatch, target, "application/merge-patch+json", body)
}

func (c *client) delete(ctx context.Context, target string) (any, error) {
	return c.do(ctx, http.MethodDelete, target, "", nil)
}

// do sends one request, retrying GETs on connection failures and on
// 429/502/503/504, and returns the decoded JSON body (204 → {}).
func (c *client) do(ctx context.Context, method, target, contentType string, body any) (any, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("encode request body: %w", err)
		}
	}
	attempts := 1
	if method == http.MethodGet {
		attempts = getAttempts
	}
	for attempt := 1; ; attempt++ {
		v, err := c.once(ctx, method, target, contentType, payload)
		if err == nil || attempt >= attempts || !transient(err) {
			return v, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(attempt) * retryDelay):
		}
	}
}

func transient(err error) bool {
	var te *transportError
	var he *httpError
	switch {
	case errors.As(err, &te):
		return true
	case errors.As(err, &he):
		return he.Status == 429 || he.Status == 502 || he.Status == 503 || he.Status == 504
	}
	return false
}

func (c *client) once(ctx context.Context, method, target, contentType string, payload []byte) (any, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, fmt.Errorf("build request %s %s: %w", method, target, err)
	}
	req.Header.Set("Accept", "application/hal+json, application/json")
	req.Header.Set("User-Agent", userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &transportError{err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	if err != nil {
		return nil, &transportError{fmt.Errorf("read response of %s %s: %w", method, target, err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newHTTPError(method, target, resp.StatusCode, raw)
	}
	if resp.StatusCode == http.StatusNoContent || len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	if !isJSON(resp.Header.Get("Content-Type")) {
		return nil, fmt.Errorf("did not get a JSON response from %s %s: content type is %q",
			method, target, resp.Header.Get("Content-Type"))
	}
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON from %s %s: %w", method, target, err)
	}
	return v, nil
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || mt == "application/hal+json")
}

func decodeJSON(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// newHTTPError reads a Pact Broker error body: {"errors": {field: [msg]}},
// {"errors": [msg | {detail}]} or {"error": msg}. Other bodies are kept
// short in Detail.
func newHTTPError(method, target string, status int, raw []byte) *httpError {
	e := &httpError{Method: method, URL: target, Status: status}
	v, err := decodeJSON(raw)
	if err != nil {
		if s := strings.TrimSpace(string(raw)); len(s) > 0 && len(s) <= 200 {
			e.Detail = s
		}
		return e
	}
	switch errs := at(v, "errors").(type) {
	case map[string]any:
		keys := make([]string, 0, len(errs))
		for k := range errs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, msg := range messages(errs[k]) {
				if k != "" {
					msg = k + ": " + msg
				}
				e.Errors = append(e.Errors, msg)
			}
		}
	case []any:
		e.Errors = messages(errs)
	}
	for _, n := range list(v, "notices") {
		if text := str(n, "text"); text != "" {
			e.Notices = append(e.Notices, noticeText(text))
		}
	}
	e.Detail = str(v, "error")
	return e
}

// noticeText is a notice as the pact-broker CLI prints it: its words joined
// by single spaces, so indentation and line breaks are dropped.
func noticeText(text string) string { return strings.Join(strings.Fields(text), " ") }

// withNotices lays out a Pact Broker error that carries notices as the
// pact-broker CLI does:
//
//	❌ <title>
//	   <each error message>
//
//	Details:
//	<each notice>
//
// Other errors are returned as they are.
func withNotices(title string, err error) error {
	var he *httpError
	if !errors.As(err, &he) || len(he.Notices) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString("❌ " + title + "\n")
	msgs := he.Errors
	if len(msgs) == 0 {
		msgs = []string{(&httpError{Method: he.Method, URL: he.URL, Status: he.Status, Detail: he.Detail}).Error()}
	}
	for _, m := range msgs {
		for _, line := range strings.Split(m, "\n") {
			b.WriteString("   " + line + "\n")
		}
	}
	b.WriteString("\nDetails:\n")
	for _, n := range he.Notices {
		b.WriteString(n + "\n")
	}
	return &reportError{b.String()}
}

// messages flattens one value of an errors body into strings.
func messages(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, item := range t {
			out = append(out, messages(item)...)
		}
		return out
	case map[string]any: // problem+json item
		for _, k := range []string{"detail", "title", "message"} {
			if s := str(t, k); s != "" {
				return []string{s}
			}
		}
	}
	if v == nil {
		return nil
	}
	return []string{fmt.Sprint(v)}
}
