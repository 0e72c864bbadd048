package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// Limits of a webhook test execution.
const (
	// WebhookTimeout bounds one webhook request: connect, send, and read
	// the response.
	WebhookTimeout = 10 * time.Second
	// webhookMaxResponse bounds how much of a response body is read.
	webhookMaxResponse = 64 << 10
	webhookUserAgent   = "pactledger"
)

// webhookClient sends webhook requests. It never follows a redirect (a 3xx
// is the answer, as with the Pact Broker), so a receiver cannot bounce a
// request, with its credentials, to a host the allow-list does not hold.
var webhookClient = &http.Client{
	Timeout:       WebhookTimeout,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     http.DefaultTransport.(*http.Transport).Clone(),
}

// webhookOutcome is what happened to one sent (or refused) request.
type webhookOutcome struct {
	sent     http.Header // as sent, before redaction
	response *http.Response
	body     []byte
	refused  string // the allow-list's objection; nothing was sent
	err      error  // transport error
}

func (o webhookOutcome) success() bool {
	return o.response != nil && o.response.StatusCode >= 200 && o.response.StatusCode <= 206
}

// sendWebhook checks a rendered request against the policy again (the
// configuration may have changed since the webhook was saved) and sends it.
// This is the one place that sends; delivery on events will share it.
func sendWebhook(ctx context.Context, policy domain.WebhookPolicy, r domain.RenderedWebhookRequest) webhookOutcome {
	if msg := policy.CheckMethod(r.Method); msg != "" {
		return webhookOutcome{refused: "request.method " + msg}
	}
	if msg := policy.CheckURL(r.URL); msg != "" {
		return webhookOutcome{refused: "request.url " + msg}
	}
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	var body io.Reader
	if r.HasBody {
		body = strings.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return webhookOutcome{refused: "request.url is not a valid URL eg. http://example.org"}
	}
	req.Header.Set("User-Agent", webhookUserAgent)
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	if r.Username != "" {
		req.SetBasicAuth(r.Username, r.Password)
	}
	out := webhookOutcome{sent: req.Header.Clone()}
	res, err := webhookClient.Do(req)
	if err != nil {
		out.err = err
		return out
	}
	defer res.Body.Close()
	out.response = res
	out.body, out.err = io.ReadAll(io.LimitReader(res.Body, webhookMaxResponse))
	return out
}

// executeWebhook is the test run (POST /webhooks/{uuid}/execute): the
// webhook's request with the template parameters filled from sample data,
// sent at once, answered 200 with the Pact Broker's execution result. The
// request body is ignored. As in the Pact Broker, the response (status,
// headers, body, transport error) is shown only when a host allow-list is
// configured; otherwise the receiver could be any host the server reaches.
// Secrets are redacted and nothing about the request is logged.
func (a *API) executeWebhook(c echo.Context) error {
	w, err := a.webhookParam(c)
	if err != nil {
		return err
	}
	policy := a.cfg.WebhookCommands.Policy()
	show := len(policy.Hosts) > 0
	rendered := domain.RenderWebhookRequest(w.Request, domain.SampleWebhookParams(w.WebhookDefinition, a.base(c)))
	out := sendWebhook(c.Request().Context(), policy, rendered)
	a.log.InfoContext(c.Request().Context(), "webhook test execution", "webhook", w.UUID, "success", out.success())

	self := a.href(c, "webhooks", w.UUID)
	res := webhookExecutionJSON{
		Request: webhookMessageJSON{Headers: shownHeaders(out.sent), Body: bodyValue(rendered.Body, rendered.HasBody), URL: shownURL(rendered.URL)},
		Success: out.success(),
		Links: Links{"webhook": Link{Href: self},
			"try-again": Link{Title: "Execute the webhook again", Href: self + "/execute"}},
	}
	hidden := "For security purposes, the response details are not logged. To enable response logging, configure the " +
		"webhook_host_whitelist property. See " + a.base(c) + "/doc/webhooks#whitelist for more information."
	switch {
	case out.refused != "":
		res.Error = &webhookErrorJSON{Message: "Webhook not sent: " + out.refused}
	case !show:
		res.Message = hidden
	case out.err != nil:
		res.Error = &webhookErrorJSON{Message: out.err.Error()}
	}
	if show && out.response != nil {
		res.Response = &webhookMessageJSON{Status: out.response.StatusCode, Headers: shownHeaders(out.response.Header),
			Body: bodyValue(string(out.body), len(out.body) > 0)}
	}
	res.Logs = webhookLogs(rendered, out, res, show, a.base(c))
	return hal(c, http.StatusOK, res)
}

type webhookErrorJSON struct {
	Message string `json:"message"`
}

// webhookMessageJSON is the request sent or the response received.
type webhookMessageJSON struct {
	Status  int               `json:"status,omitempty"`
	Headers map[string]string `json:"headers"`
	Body    any               `json:"body,omitempty"`
	URL     string            `json:"url,omitempty"`
}

type webhookExecutionJSON struct {
	Error    *webhookErrorJSON   `json:"error,omitempty"`
	Request  webhookMessageJSON  `json:"request"`
	Response *webhookMessageJSON `json:"response,omitempty"`
	Message  string              `json:"message,omitempty"`
	Logs     string              `json:"logs"`
	Success  bool                `json:"success"`
	Links    Links               `json:"_links"`
}

// shownHeaders joins each header's values and redacts credentials.
func shownHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		if events.SecretHeader(k) {
			out[k] = events.RedactedSecret
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}

// shownURL hides a password in the URL's user info.
func shownURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	return raw
}

// bodyValue shows a body as JSON when it parses, else as a string.
func bodyValue(text string, present bool) any {
	if !present {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err == nil {
		return v
	}
	return text
}

// webhookLogs is the execution log, in the Pact Broker's line format.
// It holds no secret: headers are redacted as in the result.
func webhookLogs(r domain.RenderedWebhookRequest, out webhookOutcome, res webhookExecutionJSON, show bool, base string) string {
	var b strings.Builder
	ts := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	line := func(level, format string, args ...any) {
		fmt.Fprintf(&b, "[%s] %s: %s\n", ts, level, fmt.Sprintf(format, args...))
	}
	ctx, _ := json.Marshal(map[string]string{"base_url": base, "event_name": "test"})
	line("DEBUG", "Webhook context %s", ctx)
	if out.refused != "" {
		line("ERROR", "%s", res.Error.Message)
		line("INFO", "Webhook execution failed")
		return b.String()
	}
	line("INFO", "HTTP/1.1 %s %s", r.Method, res.Request.URL)
	writeHeaders(line, res.Request.Headers)
	if r.HasBody {
		line("INFO", "%s", r.Body)
	}
	switch {
	case !show:
		line("INFO", "%s", res.Message)
	case out.err != nil:
		line("ERROR", "Error executing webhook %s", out.err)
	default:
		line("INFO", "HTTP/%d.%d %d %s", out.response.ProtoMajor, out.response.ProtoMinor, out.response.StatusCode,
			http.StatusText(out.response.StatusCode))
		writeHeaders(line, res.Response.Headers)
		line("INFO", "%s", out.body)
	}
	if out.success() {
		line("INFO", "Webhook execution succeeded")
	} else {
		line("INFO", "Webhook execution failed")
	}
	return b.String()
}

func writeHeaders(line func(level, format string, args ...any), h map[string]string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		line("INFO", "%s: %s", strings.ToLower(k), h[k])
	}
}
